#!/usr/bin/env bash
# End-to-end timings for the README: builds release, generates 500×12×20 and 5,000×12×20
# workbooks with fixed seeds, runs `arbiter plan` on them (and on the demo; the generated ones
# also with --threads 2, the racing solve) under
# /usr/bin/time -v, and prints a Markdown table: wall time, status, gap, selected, peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."

# ARBITER_BIN=path runs another build (an earlier commit's, for a before/after table).
if [ -n "${ARBITER_BIN:-}" ]; then
    BIN=$ARBITER_BIN
else
    cargo build --release --quiet
    BIN=target/release/arbiter
fi

if [ ! -x /usr/bin/time ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing time (for peak memory)" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q time >/dev/null 2>&1 \
            || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q time >/dev/null; }
    else
        echo "error: /usr/bin/time not found; install it with: sudo apt-get install -y time" >&2
        exit 1
    fi
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

"$BIN" generate --seed 500 --projects 500 --periods 12 --pools 20 --out "$WORK/g500" >/dev/null
"$BIN" generate --seed 5000 --projects 5000 --periods 12 --pools 20 --out "$WORK/g5000" >/dev/null

# json_field FILE KEY: the scalar value of "KEY" in a JSON file (string quotes removed).
json_field() {
    tr -d '\n' <"$1" | grep -o "\"$2\": *\(\"[^\"]*\"\|[-+0-9.eE]*\|null\)" | head -n1 \
        | sed -e 's/^"[^"]*": *//' -e 's/"//g'
}

# count_selected FILE: number of entries in "selected".
count_selected() {
    tr -d '\n' <"$1" | sed -e 's/.*"selected": *\[\([^]]*\)\].*/\1/' | grep -o '"id"' | wc -l | tr -d ' '
}

row() { # name workbook projects limit [extra plan arguments…]
    local name=$1 wb=$2 projects=$3 limit=$4 tag=$RANDOM
    local out="$WORK/out-$tag" timing="$WORK/time-$tag"
    shift 4
    local args=(plan "$wb" --out "$out" "$@")
    [ "$limit" != "-" ] && args+=(--time-limit "$limit")
    local code=0
    /usr/bin/time -v -o "$timing" "$BIN" "${args[@]}" >/dev/null 2>"$WORK/stderr-$tag" || code=$?
    local wall rss status gap selected
    wall=$(sed -n 's/.*Elapsed (wall clock) time[^:]*: *//p' "$timing" \
        | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.1f", s }')
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$timing" | awk '{ printf "%.0f", $1 / 1024 }')
    if [ -f "$out/summary.json" ]; then
        status=$(json_field "$out/summary.json" status)
        gap=$(json_field "$out/summary.json" gap)
        [ "$gap" != "null" ] && [ -n "$gap" ] && gap=$(awk -v g="$gap" 'BEGIN { printf "%.2f %%", g * 100 }')
        selected=$(count_selected "$out/summary.json")
    else
        status="failed (exit $code)"
        gap="-"
        selected="-"
    fi
    echo "| $name | $projects | ${limit/-/none} | $wall | $status | $gap | $selected | $rss |"
}

echo "| workbook | projects | time limit (s) | wall (s) | status | gap | selected | peak RSS (MB) |"
echo "|---|---:|---:|---:|---|---:|---:|---:|"
row "demo, solve only" fixtures/demo 40 - --rank none
row "demo, exact ranking (2 workers)" fixtures/demo 40 - --rank exact --jobs 2
row generated-500x12x20 "$WORK/g500" 500 30
row "generated-500x12x20, 2 threads (racing)" "$WORK/g500" 500 30 --threads 2
row generated-5000x12x20 "$WORK/g5000" 5000 10
row "generated-5000x12x20, 2 threads (racing)" "$WORK/g5000" 5000 10 --threads 2
row generated-5000x12x20 "$WORK/g5000" 5000 60
row "generated-5000x12x20, 2 threads (racing)" "$WORK/g5000" 5000 60 --threads 2
echo
echo "_$(nproc) CPU(s), $(uname -m), arbiter ${ARBITER_BIN:-$(git rev-parse --short HEAD 2>/dev/null || echo '?')}, $(date -u +%Y-%m-%d)_"
