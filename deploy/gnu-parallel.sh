#!/usr/bin/env bash
# Run the scenarios of WORKBOOK as SHARDS shards with GNU parallel, then merge them.
#   deploy/gnu-parallel.sh WORKBOOK OUT [SHARDS]
# On one host `arbiter scenarios WORKBOOK --jobs N` does the same in one process; shards
# pay off across hosts: add `--sshlogin host1,host2` (arbiter and the workbook at the same
# paths there, OUT on a shared file system).
set -euo pipefail
WORKBOOK=${1:?usage: gnu-parallel.sh WORKBOOK OUT [SHARDS]}
OUT=${2:?usage: gnu-parallel.sh WORKBOOK OUT [SHARDS]}
SHARDS=${3:-4}
ARBITER=${ARBITER:-arbiter}

seq 1 "$SHARDS" | parallel --halt now,fail=1 --jobs "$SHARDS" \
    "$ARBITER" scenarios "$WORKBOOK" --jobs 1 --shard "{}/$SHARDS" --out "$OUT/shard-{}" --quiet
shards=()
for k in $(seq 1 "$SHARDS"); do shards+=("$OUT/shard-$k"); done
"$ARBITER" merge "${shards[@]}" --out "$OUT/all"
