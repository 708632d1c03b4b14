#!/usr/bin/env bash
# Regenerates the man pages (docs/man/*.1) and the shell completions
# (contrib/completions/) from callspool's command definitions, with
# swift-argument-parser's GenerateManual plugin and the binary's own
# --generate-completion-script. Works offline once dependencies are fetched.
#
#   packaging/generate-docs.sh            write into the repository
#   packaging/generate-docs.sh DIR        write into DIR/docs/man, DIR/contrib/completions
#                                         (CI: regenerate to a temp dir and diff)
#
# The manual date is fixed (MAN_DATE) so the output only changes when the
# commands do; bump it with the version.
set -euo pipefail
cd "$(dirname "$0")/.."
MAN_DATE=2026-11-30
out="${1:-.}"
mkdir -p "$out/docs/man" "$out/contrib/completions"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! swift package plugin generate-manual --configuration debug --multi-page --date "$MAN_DATE" >"$log" 2>&1; then
  cat "$log" >&2
  echo "generate-docs: the GenerateManual plugin failed" >&2
  exit 1
fi
# "Generated manual in '/…/outputs/callspool'"
manual_dir=$(sed -n "s/^Generated manual in '\(.*\)'$/\1/p" "$log" | grep '/callspool/*$' | head -n1)
manual_dir="${manual_dir#file://}"
if [ -z "$manual_dir" ] || ! ls "$manual_dir"/*.1 >/dev/null 2>&1; then
  cat "$log" >&2
  echo "generate-docs: no manual pages found in the plugin's output" >&2
  exit 1
fi
rm -f "$out"/docs/man/*.1
cp "$manual_dir"/*.1 "$out/docs/man/"

bin="$(swift build --show-bin-path)/callspool"
"$bin" --generate-completion-script bash >"$out/contrib/completions/callspool.bash"
"$bin" --generate-completion-script zsh >"$out/contrib/completions/_callspool"
"$bin" --generate-completion-script fish >"$out/contrib/completions/callspool.fish"
echo "generate-docs: $(ls "$out"/docs/man/*.1 | wc -l) man pages in $out/docs/man, completions in $out/contrib/completions"
