#!/usr/bin/env bash
# deploy/slurm-array.sh against a real Slurm: a one-node cluster on this machine (munge,
# slurmctld, slurmd from the distribution's packages), a scenarios workbook run as an array
# of shards, the shards merged by a dependent job as the recipe says, and the merged folder
# compared byte for byte with one local `arbiter scenarios` run.
#
#   bash scripts/slurm-check.sh          # from the repository root; root needed to install
#
# Where Slurm cannot be installed or started (no apt, not root, no network, a container
# that forbids it), it prints why and exits 0: a skip, not a failure. A mismatch, or a job
# that fails, exits 1. Builds the release binary first when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TASKS=${SLURM_CHECK_TASKS:-4}
SCENARIOS=${SLURM_CHECK_SCENARIOS:-24}
started=$(date +%s)

skip() {
    echo "slurm-check: skipped: $*"
    exit 0
}

if ! command -v sbatch >/dev/null 2>&1 || ! command -v slurmctld >/dev/null 2>&1 \
    || ! command -v slurmd >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || skip "Slurm is not installed and installing it needs root"
    command -v apt-get >/dev/null 2>&1 || skip "Slurm is not installed and there is no apt-get"
    echo "slurm-check: installing slurm-wlm and munge"
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -q && apt-get install -y -q --no-install-recommends slurm-wlm munge; } \
        </dev/null >/tmp/slurm-check-apt.log 2>&1; then
        tail -5 /tmp/slurm-check-apt.log
        skip "apt-get could not install slurm-wlm and munge (log above)"
    fi
fi
[ "$(id -u)" = 0 ] || skip "starting munged, slurmctld and slurmd here needs root"

if [ ! -x target/release/arbiter ]; then
    echo "slurm-check: building the release binary"
    cargo build --release --quiet
fi
BIN="$ROOT/target/release"

WORK=$(mktemp -d /tmp/arbiter-slurm.XXXXXX)
PIDS=()
cleanup() {
    # Only the daemons this script started, by their process ids.
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

# munge: its own key and socket, so that nothing of the machine's is touched.
mkdir -p "$WORK/munge"
dd if=/dev/urandom of="$WORK/munge/munge.key" bs=1024 count=1 status=none
chmod 700 "$WORK/munge"
chmod 400 "$WORK/munge/munge.key"
MUNGE_SOCKET="$WORK/munge/munge.socket"
munged --force --key-file="$WORK/munge/munge.key" --socket="$MUNGE_SOCKET" \
    --pid-file="$WORK/munge/munged.pid" --log-file="$WORK/munge/munged.log" \
    --seed-file="$WORK/munge/munged.seed" --foreground >/dev/null 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do [ -S "$MUNGE_SOCKET" ] && break; sleep 0.1; done
[ -S "$MUNGE_SOCKET" ] || skip "munged did not start ($(tail -2 "$WORK/munge/munged.log" 2>/dev/null))"

# A one-node cluster on free ports, its state in $WORK.
HOST=$(hostname -s 2>/dev/null || hostname)
CPUS=$(nproc)
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
CTLD_PORT=$(port)
SLURMD_PORT=$(port)
mkdir -p "$WORK/state" "$WORK/spool"
export SLURM_CONF="$WORK/slurm.conf"
cat >"$SLURM_CONF" <<EOF
ClusterName=arbiter-check
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCKET
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/slurmctld.log
SlurmdLogFile=$WORK/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
SwitchType=switch/none
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS State=UNKNOWN
PartitionName=check Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -D -i -f "$SLURM_CONF" >"$WORK/slurmctld.out" 2>&1 &
PIDS+=($!)
slurmd -D -f "$SLURM_CONF" >"$WORK/slurmd.out" 2>&1 &
PIDS+=($!)
up=""
for _ in $(seq 100); do
    if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then up=yes; break; fi
    sleep 0.2
done
if [ -z "$up" ]; then
    tail -3 "$WORK/slurmctld.log" "$WORK/slurmd.log" "$WORK/slurmctld.out" "$WORK/slurmd.out" 2>/dev/null || true
    skip "slurmctld and slurmd did not bring the node up (logs above)"
fi
echo "slurm-check: one-node cluster up ($HOST, $CPUS CPUs) after $(($(date +%s) - started)) s"

# The workbook, the array (the recipe as written, fewer CPUs per task for this machine),
# then the merge as a dependent job.
WB="$WORK/wb"
OUT="$WORK/out"
"$BIN/arbiter" generate --seed 5 --projects 20 --periods 4 --pools 2 --scenarios "$SCENARIOS" \
    --out "$WB" >/dev/null
mkdir -p "$OUT"
cd "$WORK"
jid=$(sbatch --parsable --array="1-$TASKS" --cpus-per-task=1 \
    --export="ALL,PATH=$BIN:$PATH,WORKBOOK=$WB,OUT=$OUT" "$ROOT/deploy/slurm-array.sh")
echo "slurm-check: array job $jid submitted ($TASKS tasks)"
sbatch --parsable --wait --dependency="afterok:$jid" --export="ALL,PATH=$BIN:$PATH,OUT=$OUT" \
    --output="$WORK/merge.log" --wrap 'arbiter merge "$OUT"/shard-* --out "$OUT/all"' \
    >/dev/null || {
    echo "slurm-check: FAILED: the array or the merge job failed"
    cat "$WORK"/arbiter-*.log "$WORK/merge.log" 2>/dev/null | tail -20
    exit 1
}
cd "$ROOT"
"$BIN/arbiter" scenarios "$WB" --out "$WORK/local" --quiet >/dev/null
if ! diff -r "$OUT/all" "$WORK/local" >"$WORK/diff.txt"; then
    echo "slurm-check: FAILED: the merged Slurm result differs from one local run"
    head -20 "$WORK/diff.txt"
    exit 1
fi
files=$(find "$OUT/all" -type f | wc -l)
echo "slurm-check: ok: $TASKS array tasks + merge = one local run, $files files byte-identical, $(($(date +%s) - started)) s in all"
