#!/usr/bin/env bash
# Imports a do-not-call list of COUNT numbers (default 1,000,000) into a new,
# empty SQLite store with the release build, timed by /usr/bin/time -v:
#
#   swift build -c release --product callspool
#   Benchmarks/suppression-import.sh [COUNT]
#
# The list is one E.164 number per line (+86 and 11 digits, none twice); the
# store and list are written under a temporary directory, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000000}
binary=${CALLSPOOL_BINARY:-.build/release/callspool}
dir=$(mktemp -d /tmp/callspool-import.XXXXXX)
trap 'rm -rf "$dir"' EXIT
python3 - "$count" > "$dir/dnc.csv" <<'PY'
import sys
n = int(sys.argv[1])
out = sys.stdout
out.write("number,reason\n")
for i in range(n):
    out.write("+86139%08d,do not call\n" % i)
PY
cat > "$dir/callspool.toml" <<TOML
[platform]
base_url = "https://rtccall.cn-north-1.myhuaweicloud.cn:443"
app_key = "key"
app_secret = "secret"
[callbacks]
status_url = "https://voice-cb.example.com/callspool/status"
fee_url = "https://voice-cb.example.com/callspool/fee"
[spool]
dir = "$dir/spool"
[store]
path = "$dir/store.sqlite"
TOML
/usr/bin/time -v "$binary" suppress import --config "$dir/callspool.toml" "$dir/dnc.csv" 2> "$dir/time.txt"
grep -E "Elapsed|Maximum resident" "$dir/time.txt"
"$binary" suppress list --config "$dir/callspool.toml" --limit 1 | tail -n 1
