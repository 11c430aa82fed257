#!/usr/bin/env bash
# Opens an arbiter HTML report in headless Chromium, fails on any console error or failed
# load, and takes a screenshot.
#
#   scripts/report-screenshot.sh REPORT.html SHOT.png [WIDTHxHEIGHT]
#
# Chromium (Debian package `chromium`) must be installed; exit 3 when it is not, so that a
# caller can skip. Messages go to stderr; the exit code is 0 only when the page loaded with
# no console error and the screenshot was written.
set -euo pipefail

if [ $# -lt 2 ]; then
    echo "usage: $0 REPORT.html SHOT.png [WIDTHxHEIGHT]" >&2
    exit 2
fi
report=$(realpath "$1")
shot=$2
size=${3:-1280x2400}

browser=""
for name in chromium chromium-browser google-chrome; do
    if command -v "$name" >/dev/null 2>&1; then
        browser=$name
        break
    fi
done
if [ -z "$browser" ]; then
    echo "chromium not found (apt-get install -y chromium)" >&2
    exit 3
fi

log=$(mktemp)
profile=$(mktemp -d)
trap 'rm -rf "$log" "$profile"' EXIT
# One run with the page's console on stderr (--enable-logging=stderr --v=0 prints every
# console message as `CONSOLE(...)` / `Console message`), the DOM on stdout, and the
# screenshot; a private profile so that no earlier state leaks in.
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --no-first-run --no-default-browser-check --user-data-dir="$profile" \
    --enable-logging=stderr --v=0 \
    --window-size="${size/x/,}" --screenshot="$shot" \
    "file://$report" >"$log" 2>&1 || {
    echo "chromium failed on $report:" >&2
    cat "$log" >&2
    exit 1
}
if grep -Ei 'CONSOLE|Uncaught|net::ERR_|Failed to load resource' "$log" >&2; then
    echo "error: the page logged the console errors above" >&2
    exit 1
fi
if [ ! -s "$shot" ]; then
    echo "error: no screenshot was written to $shot" >&2
    cat "$log" >&2
    exit 1
fi
# The DOM as Chromium built it: the report's sections must be there (a page that failed to
# render would still screenshot).
dom=$(timeout 120 "$browser" --headless --no-sandbox --disable-gpu --user-data-dir="$profile" \
    --dump-dom "file://$report" 2>/dev/null)
for section in "Schedule of the selected projects" "Ranked portfolio" "<svg"; do
    if ! grep -qF "$section" <<<"$dom"; then
        echo "error: the rendered page lacks '$section'" >&2
        exit 1
    fi
done
echo "ok: $report rendered with no console error; screenshot $shot" >&2
