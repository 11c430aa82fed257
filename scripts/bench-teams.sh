#!/usr/bin/env bash
# Issue 8's yardstick: what allocating teams costs. Generates the same 500-project workbook
# (12 periods, 25 skills, seed 8) twice — pool-only (`--teams 0`: each skill is a pool with
# its own capacity) and with 15 teams (`--teams 15`: each skill's capacity goes to a primary
# team, plus one or two secondary skills per team) — and runs `arbiter plan --rank none`
# on both at each relative gap of GAPS, with a time limit of LIMIT seconds, printing a
# Markdown table: wall time; of it, the portfolio MILP up to the gap (what the issue
# compares), the earliest-start tie-break and the team allocation (from `plan -v`); status,
# gap, objective.
# Usage: scripts/bench-teams.sh [GAPS] [LIMIT]   (default: "0.05 0.02" 600)
set -euo pipefail
cd "$(dirname "$0")/.."
GAPS=${1:-"0.05 0.02"}
LIMIT=${2:-600}
cargo build --release --quiet
BIN=target/release/arbiter
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
for teams in 0 15; do
    "$BIN" generate --seed 8 --projects 500 --periods 12 --pools 25 --teams "$teams" \
        --out "$WORK/t$teams" >/dev/null
done
json_field() {
    tr -d '\n' <"$1" | grep -o "\"$2\": *\(\"[^\"]*\"\|[-+0-9.eE]*\|null\)" | head -n1 \
        | sed -e 's/^"[^"]*": *//' -e 's/"//g'
}
echo "| model | target gap | wall (s) | MILP to the gap (s) | tie-break (s) | allocation (s) | status | gap | objective |"
echo "|---|---:|---:|---:|---:|---:|---|---:|---:|"
for gap in $GAPS; do
    for teams in 0 15; do
        out="$WORK/out-$teams-$gap"
        start=$(date +%s.%N)
        "$BIN" plan "$WORK/t$teams" --gap "$gap" --time-limit "$LIMIT" --rank none -q -v \
            --out "$out" >/dev/null 2>"$out.err" || true
        # timings: … solve and check S s (of which earliest-start tie-break T s, team allocation A s)
        read -r solve tie alloc < <(sed -n 's/.*solve and check \([0-9.]*\) s (of which earliest-start tie-break \([0-9.]*\) s, team allocation \([0-9.]*\) s).*/\1 \2 \3/p' "$out.err")
        end=$(date +%s.%N)
        name=$([ "$teams" = 0 ] && echo "pool-only (25 pools)" || echo "15 teams x 25 skills")
        awk -v name="$name" -v target="$gap" -v start="$start" -v end="$end" \
            -v solve="${solve:-0}" -v tie="${tie:-0}" -v alloc="${alloc:-0}" \
            -v status="$(json_field "$out/summary.json" status)" \
            -v gap="$(json_field "$out/summary.json" gap)" \
            -v objective="$(json_field "$out/summary.json" objective)" \
            'BEGIN { printf "| %s | %s | %.1f | %.1f | %.1f | %.1f | %s | %.2f %% | %s |\n", name, target, end - start, solve - tie - alloc, tie, alloc, status, gap * 100, objective }'
    done
done
echo
echo "_$(nproc) CPU(s), $(uname -m), arbiter $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u +%Y-%m-%d), load $(cut -d' ' -f1-3 /proc/loadavg)_"
