#!/usr/bin/env bash
# Fails when the compiler warns about our own code (Sources/, Tests/,
# Benchmarks/); warnings in dependencies are not ours to fix and are ignored,
# and so are those in Sources/CallSpoolOpenAPI/ (generated from
# docs/api/openapi.yaml by packaging/generate-api.sh, never edited by hand).
#
#   packaging/check-warnings.sh
#
# A build only prints the warnings of the files it compiles, and after
# `swift test` everything is up to date: so this marks our own sources as
# changed (touch) and builds again with --build-tests, the configuration
# `swift test` used. Only our modules (and the test bundle) are recompiled;
# the dependencies stay built. Costs one recompilation of our modules (about
# 3 minutes on 2 cores). Run it after `swift test` (.ci/run does).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd -P)

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Our sources only: Fuzz/ is a package of its own (Fuzz/run.sh builds it).
find Sources Tests Benchmarks -type f \( -name '*.swift' -o -name '*.c' -o -name '*.h' \) -exec touch {} +

if ! swift build --build-tests >"$log" 2>&1; then
  cat "$log" >&2
  echo "check-warnings: the build failed" >&2
  exit 1
fi

# file:line:column: warning: … with the file under one of our directories.
ours=$(grep -E "^(${root}/)?(Sources|Tests|Benchmarks)/[^:]+:[0-9]+:[0-9]+: warning: " "$log" | sed "s|^${root}/||" | grep -v "^Sources/CallSpoolOpenAPI/" | sort -u || true)
if [ -n "$ours" ]; then
  count=$(printf '%s\n' "$ours" | wc -l)
  echo "check-warnings: $count compiler warning(s) in our code; fix them (e.g. \`_ =\` for a result meant to be ignored, the non-deprecated API):" >&2
  printf '%s\n' "$ours" >&2
  exit 1
fi
echo "check-warnings: no compiler warning in Sources/, Tests/ or Benchmarks/"
