#!/usr/bin/env bash
# Parallel efficiency and overhead of `arbiter scenarios`, for the README: generates the
# bench workbook of benches/scenarios.rs (100 projects, 3 periods, 1 pool, 200 scenarios,
# seed 2), runs all 201 scenarios with --jobs 1 and with --jobs 2 (ROUNDS times each,
# alternating, so that both see the same machine noise), checks that both write the same
# bytes, and prints a Markdown table: wall times, parallel efficiency = T1 / (2 × T2), and
# the work around the solver against the solves.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}

cargo build --release --quiet
BIN=target/release/arbiter
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$BIN" generate --seed 2 --projects 100 --periods 3 --pools 1 --scenarios 200 --out "$WORK/wb" 2>/dev/null

now() { date +%s.%N; }
t1=() t2=()
for round in $(seq "$ROUNDS"); do
    for jobs in 1 2; do
        start=$(now)
        "$BIN" scenarios "$WORK/wb" --jobs "$jobs" --out "$WORK/out-$jobs" -q -v >/dev/null 2>"$WORK/log-$jobs-$round"
        wall=$(echo "$(now) - $start" | bc)
        if [ "$jobs" = 1 ]; then t1+=("$wall"); else t2+=("$wall"); fi
    done
    diff -r "$WORK/out-1" "$WORK/out-2" >/dev/null || { echo "error: --jobs 1 and --jobs 2 wrote different files" >&2; exit 1; }
done

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
m1=$(median "${t1[@]}")
m2=$(median "${t2[@]}")
# "summed over scenarios: apply A s, encode E s, solve and check S s, report R s); write W s"
field() { sed -n "s/.*$1 \([0-9.]*\) s.*/\1/p" "$WORK/log-1-1"; }
apply=$(field "apply")
encode=$(field "encode")
solve=$(field "solve and check")
report=$(field "report")
write=$(sed -n 's/.*; write \([0-9.]*\) s$/\1/p' "$WORK/log-1-1")

echo "| measure | value |"
echo "|---|---|"
echo "| scenarios (base + 200), 100 projects each | $(ls -d "$WORK"/out-1/*/ | wc -l | tr -d ' ') |"
echo "| wall, --jobs 1 (median of $ROUNDS) | $(printf '%.1f' "$m1") s |"
echo "| wall, --jobs 2 (median of $ROUNDS) | $(printf '%.1f' "$m2") s |"
echo "| parallel efficiency T1 / (2 × T2) | $(echo "$m1 / (2 * $m2) * 100" | bc -l | xargs printf '%.0f') % |"
echo "| HiGHS solve and check, summed (--jobs 1) | $(printf '%.2f' "$solve") s |"
echo "| apply + encode + report + write, summed (--jobs 1) | $(printf '%.3f' "$(echo "$apply + $encode + $report + $write" | bc -l)") s ($(echo "($apply + $encode + $report + $write) / $solve * 100" | bc -l | xargs printf '%.2f') % of solve) |"
