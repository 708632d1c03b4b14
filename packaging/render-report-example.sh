#!/usr/bin/env bash
# Renders docs/report-example.png: runs `callspool demo` (simulator + daemon,
# nothing reaches the real platform) keeping its store, writes the report of
# its generated campaign, and screenshots it with headless Chromium.
#
#   packaging/render-report-example.sh [CALLSPOOL_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-$(swift build --show-bin-path)/callspool}"
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "render-report-example: install chromium (apt-get install chromium)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin" demo --dir "$work/demo" --calls 300 >"$work/demo.log"
campaign=$("$bin" campaigns --json --config "$work/demo/callspool.toml" |
  python3 -c 'import json,sys; c=json.load(sys.stdin); print(max(c, key=lambda x: x["total"])["campaign"])')
"$bin" report --config "$work/demo/callspool.toml" --campaign "$campaign" --output "$work/report.html"
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
  --window-size=860,2000 --screenshot="$work/report.png" "file://$work/report.html" 2>/dev/null
install -m 0644 "$work/report.png" docs/report-example.png
echo "docs/report-example.png: report of campaign $campaign"
