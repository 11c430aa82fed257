#!/usr/bin/env bash
# One Slurm array task per shard; each runs its share of the scenarios on the CPUs it has.
# Submit the array, then the merge once every task has succeeded:
#
#   jid=$(sbatch --parsable --export=ALL,WORKBOOK=/shared/wb,OUT=/shared/out deploy/slurm-array.sh)
#   sbatch --dependency=afterok:$jid --export=ALL,OUT=/shared/out \
#          --wrap 'arbiter merge "$OUT"/shard-* --out "$OUT/all"'
#
# WORKBOOK and OUT must be on a file system every node sees. Change --array to change the
# number of shards; nothing else needs to know it.
#SBATCH --job-name=arbiter-scenarios
#SBATCH --array=1-8
#SBATCH --cpus-per-task=2
#SBATCH --time=02:00:00
#SBATCH --output=arbiter-%A_%a.log
set -euo pipefail
: "${WORKBOOK:?set WORKBOOK to the workbook folder}" "${OUT:?set OUT to the output folder}"
arbiter scenarios "$WORKBOOK" \
    --jobs "${SLURM_CPUS_PER_TASK:-1}" \
    --shard "${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}" \
    --out "$OUT/shard-${SLURM_ARRAY_TASK_ID}" \
    --quiet
