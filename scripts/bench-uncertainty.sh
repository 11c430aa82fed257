#!/usr/bin/env bash
# Speed of `arbiter uncertainty` on the demo workbook, for the README: SAMPLES (150) samples
# with --jobs 1 and --jobs 2, alternating ROUNDS (1) times so that both see the same machine
# noise, checking that both write the same bytes; then BIG (1000) samples with --jobs 2.
# Prints a Markdown table: wall and CPU seconds, the machine's load average before each run
# (the reference machine is shared), and the parallel efficiency T1 / (2 × T2).
#
# BASELINE=/path/to/an/older/arbiter adds the same runs of that binary, one after the other
# with the current build, for a before/after ratio under the same load. BIG=0 skips the long
# run.
set -euo pipefail
cd "$(dirname "$0")/.."
SAMPLES=${SAMPLES:-150}
BIG=${BIG:-1000}
ROUNDS=${ROUNDS:-1}

cargo build --release --quiet
BIN=target/release/arbiter
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if [ ! -x /usr/bin/time ]; then
    echo "error: /usr/bin/time not found; install it with: sudo apt-get install -y time" >&2
    exit 1
fi

load() { cut -d' ' -f1 /proc/loadavg; }

# run LABEL BINARY SAMPLES JOBS: one run; prints its table row and leaves its files in
# $WORK/out-LABEL.
run() {
    local label=$1 bin=$2 samples=$3 jobs=$4 before
    before=$(load)
    /usr/bin/time -o "$WORK/time-$label" -f "%e %U %S" "$bin" uncertainty fixtures/demo \
        --samples "$samples" --jobs "$jobs" --seed 1 --out "$WORK/out-$label" -q >/dev/null
    read -r wall user sys <"$WORK/time-$label"
    local cpu
    cpu=$(echo "$user + $sys" | bc -l)
    printf '| %s | %s | %s | %.1f | %.1f | %.0f %% | %s |\n' "$label" "$samples" "$jobs" \
        "$wall" "$cpu" "$(echo "$cpu / $wall * 100" | bc -l)" "$before"
    echo "$wall" >"$WORK/wall-$label"
}

echo "| run | samples | --jobs | wall (s) | CPU (s) | CPU share | load before |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for round in $(seq "$ROUNDS"); do
    for jobs in 1 2; do
        run "now-j$jobs-r$round" "$BIN" "$SAMPLES" "$jobs"
        if [ -n "${BASELINE:-}" ]; then
            run "before-j$jobs-r$round" "$BASELINE" "$SAMPLES" "$jobs"
        fi
    done
    diff -r "$WORK/out-now-j1-r$round" "$WORK/out-now-j2-r$round" >/dev/null \
        || { echo "error: --jobs 1 and --jobs 2 wrote different files" >&2; exit 1; }
done
if [ "$BIG" -gt 0 ]; then
    run "now-big" "$BIN" "$BIG" 2
    if [ -n "${BASELINE:-}" ]; then
        run "before-big" "$BASELINE" "$BIG" 2
    fi
fi

median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
t1=$(cat "$WORK"/wall-now-j1-r* | median)
t2=$(cat "$WORK"/wall-now-j2-r* | median)
echo
echo "parallel efficiency T1 / (2 × T2), $SAMPLES samples: $(echo "$t1 / (2 * $t2) * 100" | bc -l | xargs printf '%.0f') %"
if [ -n "${BASELINE:-}" ]; then
    b1=$(cat "$WORK"/wall-before-j1-r* | median)
    echo "speed-up on $SAMPLES samples, --jobs 1: $(echo "$b1 / $t1" | bc -l | xargs printf '%.2f') ×"
fi
echo
echo "_$(nproc) CPU(s), $(uname -m), arbiter $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u '+%Y-%m-%d %H:%M UTC')_"
