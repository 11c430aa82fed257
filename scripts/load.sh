#!/usr/bin/env bash
# Load: many runs at once and big runs, each checked against a single run, with the peak
# memory of each (GNU time's "Maximum resident set size"). Prints one line per check and
# the figures that docs/reliability-runs.md records.
#
#   bash scripts/load.sh            # from the repository root, release binary built
#
# Sizes can be lowered for a quick look: LOAD_PLANS (50 concurrent plans on fixtures/demo),
# LOAD_SCENARIOS (2,000 scenarios in one run), LOAD_PROJECTS and LOAD_SECONDS (a
# 20,000-project workbook under a 60 s time limit).
# Exits 1 when a run fails or differs from its single run.
set -euo pipefail
cd "$(dirname "$0")/.."
A=${ARBITER:-target/release/arbiter}
PLANS=${LOAD_PLANS:-50}
SCENARIOS=${LOAD_SCENARIOS:-2000}
PROJECTS=${LOAD_PROJECTS:-20000}
SECONDS_BIG=${LOAD_SECONDS:-60}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "load: GNU time (/usr/bin/time) is missing: apt-get install time"; exit 1; }
[ -x "$A" ] || cargo build --release --quiet
W=$(mktemp -d /tmp/arbiter-load.XXXXXX)
trap 'rm -rf "$W"' EXIT
failed=0

# Peak resident memory of a run, in MB, from GNU time's report.
peak() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }
wall() { awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$1"; }
# Two output folders, plan's seconds blanked (the one number that differs between runs).
same() {
    diff -r <(cd "$1" && find . -type f | sort | xargs sed -E 's/"seconds": [0-9.e+-]+/"seconds": 0/') \
        <(cd "$2" && find . -type f | sort | xargs sed -E 's/"seconds": [0-9.e+-]+/"seconds": 0/') \
        >/dev/null
}

# 1. Concurrent plans on the demo, each into its own folder, against one plan run alone.
# --rank none: the exact ranking's 39 re-solves per plan would make this a test of 2,000
# solves at once rather than of 50 runs.
$A plan fixtures/demo --out "$W/plan-single" --quiet --rank none >/dev/null
start=$(date +%s.%N)
pids=()
for i in $(seq "$PLANS"); do
    $TIME -v -o "$W/plan-$i.time" $A plan fixtures/demo --out "$W/plan-$i" --quiet --rank none \
        >/dev/null 2>"$W/plan-$i.err" &
    pids+=($!)
done
ok=0
for pid in "${pids[@]}"; do wait "$pid" && ok=$((ok + 1)) || true; done
elapsed=$(echo "$(date +%s.%N) - $start" | bc)
differ=0
maxmem=0
for i in $(seq "$PLANS"); do
    same "$W/plan-single" "$W/plan-$i" || differ=$((differ + 1))
    m=$(peak "$W/plan-$i.time"); [ "${m:-0}" -gt "$maxmem" ] && maxmem=$m
done
echo "load: $PLANS concurrent plans on fixtures/demo: $ok finished, $differ differ from a single run, ${elapsed%.*} s in all, peak memory of one run $maxmem MB"
[ "$ok" = "$PLANS" ] && [ "$differ" = 0 ] || failed=1

# 2. Many scenarios in one run, against shard 1 of 10 run on its own: each of its scenario
#    folders must be byte-identical to the same folder of the big run.
$A generate --seed 6 --projects 10 --periods 3 --pools 1 --scenarios "$SCENARIOS" --out "$W/swb" >/dev/null
$TIME -v -o "$W/scen.time" $A scenarios "$W/swb" --out "$W/scen" --quiet --jobs 2 >/dev/null 2>"$W/scen.err" \
    || { echo "load: the $SCENARIOS-scenario run failed: $(tail -2 "$W/scen.err")"; failed=1; }
$A scenarios "$W/swb" --out "$W/shard" --quiet --jobs 2 --shard 1/10 >/dev/null 2>&1
runs=$(find "$W/scen" -name summary.json | wc -l)
checked=0
differ=0
for d in "$W/shard"/*/; do
    name=$(basename "$d")
    checked=$((checked + 1))
    diff -r "$d" "$W/scen/$name" >/dev/null || differ=$((differ + 1))
done
if [ "$differ" = 0 ] && [ "$checked" -gt 0 ]; then verdict="the $checked folders of shard 1/10 identical"; else verdict="$differ of $checked folders of shard 1/10 DIFFER"; failed=1; fi
echo "load: $SCENARIOS scenarios in one run: $runs solves, $verdict, $(wall "$W/scen.time") wall, peak memory $(peak "$W/scen.time") MB"

# 3. A big workbook under a time limit: it must finish with a checked portfolio and every
#    output, in bounded memory. (A time-limited answer depends on the machine, so it is not
#    compared; a node limit would make it reproducible, at the price of the LP and root
#    node of a 240,000-column model, far longer than this script should take.)
$A generate --seed 7 --projects "$PROJECTS" --periods 12 --pools 20 --out "$W/big" >/dev/null
$TIME -v -o "$W/big.time" $A plan "$W/big" --out "$W/big-out" --quiet --rank none \
    --time-limit "$SECONDS_BIG" >/dev/null 2>"$W/big.err" \
    || { echo "load: plan on $PROJECTS projects failed: $(tail -2 "$W/big.err")"; failed=1; }
files=$(find "$W/big-out" -type f 2>/dev/null | wc -l)
stopped=$(sed -nE 's/.*"stopped_by": ("?[a-z]+"?).*/\1/p' "$W/big-out/summary.json" 2>/dev/null)
status=$(sed -nE 's/.*"status": "([a-z]+)".*/\1/p' "$W/big-out/summary.json" 2>/dev/null | head -1)
count=$(sed -nE 's/.*"count": ([0-9]+).*/\1/p' "$W/big-out/summary.json" 2>/dev/null)
echo "load: plan on $PROJECTS projects (--time-limit $SECONDS_BIG): $status, $count selected, stopped_by $stopped, $files files, $(wall "$W/big.time") wall, peak memory $(peak "$W/big.time") MB"
[ "$status" = optimal ] || [ "$status" = feasible ] || failed=1
exit $failed
