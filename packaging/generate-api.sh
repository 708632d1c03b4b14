#!/usr/bin/env bash
# Regenerates the HTTP API's Swift types and server stubs
# (Sources/CallSpoolOpenAPI/{Types,Server}.swift) from the contract,
# docs/api/openapi.yaml, with swift-openapi-generator's CLI. The generated
# files are committed: a build never runs the generator (it is not a
# dependency of the package).
#
#   packaging/generate-api.sh            write into Sources/CallSpoolOpenAPI
#   packaging/generate-api.sh DIR        write into DIR (CI: regenerate to a
#                                        temporary directory and diff)
#
# The generator is built once from its own checkout (version pinned below)
# in a cache directory ($CALLSPOOL_GENERATOR_DIR, default
# ~/.cache/callspool/swift-openapi-generator): the first run takes a few
# minutes on 2 cores, later runs seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
GENERATOR_VERSION=1.14.3
GENERATOR_URL=https://github.com/apple/swift-openapi-generator.git
out="${1:-Sources/CallSpoolOpenAPI}"
mkdir -p "$out"
out=$(cd "$out" && pwd)

dir="${CALLSPOOL_GENERATOR_DIR:-$HOME/.cache/callspool/swift-openapi-generator}"
if [ ! -d "$dir/.git" ]; then
  mkdir -p "$(dirname "$dir")"
  git clone --quiet "$GENERATOR_URL" "$dir"
fi
if [ "$(git -C "$dir" describe --tags --exact-match 2>/dev/null || true)" != "$GENERATOR_VERSION" ]; then
  git -C "$dir" fetch --quiet --tags
  git -C "$dir" checkout --quiet "$GENERATOR_VERSION"
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! (cd "$dir" && swift build --product swift-openapi-generator) >"$log" 2>&1; then
  cat "$log" >&2
  echo "generate-api: building swift-openapi-generator $GENERATOR_VERSION failed" >&2
  exit 1
fi
generator="$dir/.build/debug/swift-openapi-generator"
"$generator" generate docs/api/openapi.yaml \
  --config docs/api/openapi-generator-config.yaml \
  --output-directory "$out" >"$log" 2>&1 || { cat "$log" >&2; echo "generate-api: the generator failed" >&2; exit 1; }
echo "generate-api: wrote $(ls "$out" | wc -l) files into $out"
