#!/usr/bin/env bash
# Fuzz/run.sh N: builds the libFuzzer targets (-sanitize=fuzzer,address) and
# runs each for N seconds (default 60) from a seed corpus made of jobs/,
# jobs/invalid/, the reference callback payloads and sample X-AKSK headers.
# Exits non-zero when a target crashes; the crashing input is kept as
# Fuzz/artifacts/<target>/crash-*. Executions per target go to
# Fuzz/artifacts/summary.txt.
set -euo pipefail
seconds="${1:-60}"
fuzz="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$fuzz/.." && pwd)"
scratch="$root/.build-fuzz"
targets=(FuzzJobFile FuzzCallbackEvent FuzzCallbackAuth)

cd "$fuzz"
build=(swift build -c debug --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
mkdir -p "$scratch"
"${build[@]}" >"$scratch/fuzz-build.log" 2>&1 || { tail -60 "$scratch/fuzz-build.log" >&2; echo "fuzz build failed" >&2; exit 2; }
bin="$("${build[@]}" --show-bin-path)"

corpus="$scratch/corpus"
rm -rf "$corpus"
mkdir -p "$corpus"/{FuzzJobFile,FuzzCallbackEvent,FuzzCallbackAuth}
cp "$root"/jobs/*.json "$root"/jobs/*.jsonl "$root"/jobs/invalid/*.json* "$corpus/FuzzJobFile/"
# The reference payloads are Swift raw string literals: one seed each.
python3 - "$root/Tests/VoiceCallAPITests/Fixtures/ReferencePayloads.swift" "$corpus/FuzzCallbackEvent" <<'PY'
import re, sys, pathlib
text = pathlib.Path(sys.argv[1]).read_text()
for name, body in re.findall(r'static let (\w+) = #"""\n(.*?)\n\s*"""#', text, re.S):
    pathlib.Path(sys.argv[2], name).write_text(body.strip() + "\n")
PY
cp "$corpus"/FuzzCallbackEvent/* "$corpus/FuzzJobFile/" 2>/dev/null || true
printf '%s' 'UsernameToken Username="fuzz-app-key", PasswordDigest="ZmFrZQ==", Nonce="66C92B11FF8A425FB8D4CCFE0ED9ED1F", Created="2026-11-21T08:00:00Z"' > "$corpus/FuzzCallbackAuth/header"
printf '%s' 'usernametoken nonce="a",created="2026-11-21T08:00:00Z",passworddigest="",username=""' > "$corpus/FuzzCallbackAuth/header-lower"
printf '66C92B11FF8A425FB8D4CCFE0ED9ED1F\n2027-01-15T08:00:00Z' > "$corpus/FuzzCallbackAuth/signed"

mkdir -p "$fuzz/artifacts"
summary="$fuzz/artifacts/summary.txt"
: > "$summary"
failed=0
for target in "${targets[@]}"; do
  mkdir -p "$fuzz/artifacts/$target"
  log="$fuzz/artifacts/$target/log.txt"
  set +e
  ASAN_OPTIONS=detect_leaks=0 "$bin/$target" "$corpus/$target" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
    -timeout=10 -print_final_stats=1 -artifact_prefix="$fuzz/artifacts/$target/" >"$log" 2>&1
  status=$?
  set -e
  runs="$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' || true)"
  echo "$target: exit $status, ${runs:-?} executions in ${seconds} s" | tee -a "$summary"
  if [ "$status" -ne 0 ]; then
    failed=1
    tail -40 "$log" >&2
  fi
done
exit "$failed"
