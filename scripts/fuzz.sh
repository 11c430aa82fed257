#!/usr/bin/env bash
# Bounded fuzzing of arbiter's readers with cargo-fuzz (libFuzzer, nightly toolchain): the
# CSV workbook reader, the spreadsheet reader (.xlsx/.ods), scenarios.csv and pairwise.csv,
# each seeded from fixtures/ and run for FUZZ_SECONDS (default 30) — two minutes in all.
# Skips with a note (exit 0) where nightly or cargo-fuzz is missing: the stable proptest
# tests/fuzz_bytes.rs fuzzes a little in every `cargo test` regardless.
# A crash leaves its input in fuzz/artifacts/<target>/ and fails this script; make it a
# regression fixture (fixtures/reliability/fuzz/) and fix the reader.
# Usage: scripts/fuzz.sh [target…]   (FUZZ_SECONDS=N for longer runs)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-30}"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(csv_workbook sheets scenarios pairwise)

if ! command -v rustup >/dev/null 2>&1 || ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    echo "fuzz: skipped: no nightly toolchain (rustup toolchain install nightly)"
    exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz: skipped: cargo-fuzz is not installed (cargo install cargo-fuzz)"
    exit 0
fi

# Seeds: fixture files, with the first byte each target reads to pick a file or format.
corpus=fuzz/corpus
seed() { # seed TARGET PICK-BYTE FILE
    mkdir -p "$corpus/$1"
    { printf "\\x$(printf %02x "$2")"; cat "$3"; } >"$corpus/$1/seed-$2-$(basename "$(dirname "$3")")-$(basename "$3")"
}
i=0
for f in projects budget capacity demand costs drivers balance; do
    for wb in fixtures/demo fixtures/teams fixtures/french fixtures/tiny/*; do
        if [ -f "$wb/$f.csv" ]; then seed csv_workbook "$i" "$wb/$f.csv"; fi
    done
    i=$((i + 1))
done
for f in fixtures/xlsx/*.xlsx fixtures/reliability/0[23]*/*.xlsx fixtures/reliability/05*/*.xlsx; do seed sheets 0 "$f"; done
for f in fixtures/xlsx/*.ods fixtures/reliability/04*/*.ods; do seed sheets 1 "$f"; done
mkdir -p "$corpus/scenarios" "$corpus/pairwise"
for f in fixtures/*/scenarios.csv fixtures/invalid/*/scenarios.csv; do
    cp "$f" "$corpus/scenarios/seed-$(echo "$f" | tr / _)"
done
for f in fixtures/invalid/*/pairwise.csv fixtures/*/pairwise.csv; do
    if [ -f "$f" ]; then cp "$f" "$corpus/pairwise/seed-$(echo "$f" | tr / _)"; fi
done

status=0
for t in "${targets[@]}"; do
    echo "fuzz: $t for ${seconds}s"
    # -O: built as the shipped binary is (release, no overflow checks). With cargo-fuzz's
    # default debug assertions the reproducer fuzz-m00373-demo.xlsx stops the run at once
    # on an overflow inside calamine 0.38 (xlsx/mod.rs, a cell reference's row), which the
    # release build wraps and arbiter's reader then refuses (tests/reliability.rs r02).
    # -rss_limit_mb: a reader that needs more than 2 GB is a finding too; -timeout: so is
    # an input that takes more than 10 s (a hang).
    set +e
    cargo +nightly fuzz run -O --sanitizer none "$t" "$corpus/$t" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=262144 \
        -print_final_stats=1 >"fuzz/$t.log" 2>&1
    code=$?
    set -e
    grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|==[0-9]+== ERROR|SUMMARY)' "fuzz/$t.log" || true
    if [ "$code" -ne 0 ]; then
        echo "fuzz: $t failed (exit $code): a crash, hang or out-of-memory input is in fuzz/artifacts/$t/, or the build failed; see fuzz/$t.log"
        status=1
    fi
done
exit "$status"
