#!/usr/bin/env bash
# Builds callspool_VERSION_ARCH.deb with dpkg-deb: the release binary (Swift
# runtime linked statically, so the host needs no Swift), the systemd unit,
# sysusers.d and tmpfiles.d files, the example configuration as a conffile,
# man pages, shell completions, docs and examples. Depends: is measured from
# the binary with dpkg-shlibdeps.
#
#   packaging/build-deb.sh [OUTPUT_DIR]     (default: .build-release/deb)
#
# Environment: CALLSPOOL_RELEASE_BINARY=PATH uses an already built binary;
# VERSION overrides the version (default: callspool --version).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
out="${1:-$repo/.build-release/deb}"
mkdir -p "$out"
out=$(cd "$out" && pwd)

bin="${CALLSPOOL_RELEASE_BINARY:-}"
if [ -z "$bin" ]; then
  swift build -c release --static-swift-stdlib --product callspool --scratch-path .build-release
  bin="$(swift build -c release --scratch-path .build-release --show-bin-path)/callspool"
fi
[ -x "$bin" ] || { echo "build-deb: no binary at $bin" >&2; exit 2; }

# The binary must need nothing Debian does not provide: no Swift runtime.
if ldd "$bin" | grep -Ei 'swift|Foundation|not found'; then
  echo "build-deb: $bin links against the Swift runtime or a missing library (see above); build with --static-swift-stdlib" >&2
  exit 1
fi

version="${VERSION:-$("$bin" --version)}"
arch=$(dpkg --print-architecture)
name="callspool_${version}_${arch}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/$name"
doc="$root/usr/share/doc/callspool"

install -d "$root/DEBIAN" "$root/usr/bin" "$root/lib/systemd/system" "$root/usr/lib/sysusers.d" "$root/usr/lib/tmpfiles.d" \
  "$root/etc/callspool" "$root/usr/share/man/man1" "$root/usr/share/bash-completion/completions" \
  "$root/usr/share/zsh/vendor-completions" "$root/usr/share/fish/vendor_completions.d" "$doc/docs" "$doc/examples/jobs"

install -m 0755 "$bin" "$root/usr/bin/callspool"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/callspool"

# The unit, pointing at the packaged binary and manual.
sed -e 's#/usr/local/bin/callspool#/usr/bin/callspool#g' \
    -e 's#^Documentation=.*#Documentation=man:callspool(1) file:///usr/share/doc/callspool/README.md#' \
    systemd/callspool.service >"$root/lib/systemd/system/callspool.service"
chmod 0644 "$root/lib/systemd/system/callspool.service"
sed -e 's#^Documentation=.*#Documentation=man:callspool(1) file:///usr/share/doc/callspool/README.md#' \
    systemd/callspool.socket >"$root/lib/systemd/system/callspool.socket"
chmod 0644 "$root/lib/systemd/system/callspool.socket"
install -m 0644 systemd/callspool.sysusers "$root/usr/lib/sysusers.d/callspool.conf"
install -m 0644 systemd/callspool.tmpfiles "$root/usr/lib/tmpfiles.d/callspool.conf"
install -m 0644 systemd/callspool.toml.example "$root/etc/callspool/callspool.toml"

for page in docs/man/*.1; do
  gzip -9n <"$page" >"$root/usr/share/man/man1/$(basename "$page").gz"
done
chmod 0644 "$root"/usr/share/man/man1/*.gz
# bash-completion sources the file: no #! line.
sed '1{/^#!/d}' contrib/completions/callspool.bash >"$root/usr/share/bash-completion/completions/callspool"
chmod 0644 "$root/usr/share/bash-completion/completions/callspool"
install -m 0644 contrib/completions/_callspool "$root/usr/share/zsh/vendor-completions/_callspool"
install -m 0644 contrib/completions/callspool.fish "$root/usr/share/fish/vendor_completions.d/callspool.fish"

install -m 0644 README.md "$doc/README.md"
install -m 0644 docs/*.md "$doc/docs/"
[ -f docs/report-example.png ] && install -m 0644 docs/report-example.png "$doc/docs/"
install -m 0644 systemd/callspool.toml.example "$doc/examples/callspool.toml.example"
install -m 0644 jobs/*.json jobs/*.jsonl "$doc/examples/jobs/"
install -m 0644 contrib/grafana/callspool-dashboard.json contrib/prometheus/callspool-alerts.yml "$doc/examples/"
cat >"$doc/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: callspool
Comment: The binary links the Swift runtime and these Swift packages
 statically: swift-argument-parser, swift-log, swift-metrics,
 swift-prometheus, swift-service-lifecycle, GRDB.swift, async-http-client,
 hummingbird, swift-crypto, swift-nio and its companions, TOMLKit; see
 their repositories for their licenses (Apache-2.0 and MIT).

Files: *
Copyright: 2025-2026 callspool authors
License: Apache-2.0
 On Debian systems, the full text of the Apache License, Version 2.0 can be
 found in /usr/share/common-licenses/Apache-2.0.
COPYRIGHT
chmod 0644 "$doc/copyright"
{
  echo "callspool ($version) unstable; urgency=medium"
  echo
  echo "  * Release $version (see README.md)."
  echo
  echo " -- callspool maintainers <callspool@example.com>  $(date -R -d @"${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")"
} | gzip -9n >"$doc/changelog.gz"
chmod 0644 "$doc/changelog.gz"

# swift-nio-extras (decompression in async-http-client) carries its own zlib
# with prefixed symbols, linked statically like every Swift dependency.
install -d "$root/usr/share/lintian/overrides"
cat >"$root/usr/share/lintian/overrides/callspool" <<'OVERRIDES'
# async-http-client's response decompression uses swift-nio-extras'
# CNIOExtrasZlib, a copy of zlib with prefixed symbols (cnioextras_z_*),
# compiled into the binary like every Swift package; it cannot use zlib1g
# without patching swift-nio-extras.
callspool: embedded-library zlib [usr/bin/callspool]
OVERRIDES
chmod 0644 "$root/usr/share/lintian/overrides/callspool"

echo /etc/callspool/callspool.toml >"$root/DEBIAN/conffiles"
for script in postinst postrm; do
  install -m 0755 "packaging/debian/$script" "$root/DEBIAN/$script"
done

# Depends: measured from the binary.
mkdir -p "$work/src/debian"
printf 'Source: callspool\n\nPackage: callspool\nArchitecture: any\n' >"$work/src/debian/control"
depends=$(cd "$work/src" && dpkg-shlibdeps -O "$root/usr/bin/callspool" | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "build-deb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

cat >"$root/DEBIAN/control" <<CONTROL
Package: callspool
Version: $version
Architecture: $arch
Maintainer: callspool maintainers <callspool@example.com>
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: $depends
Section: net
Priority: optional
Description: Huawei Cloud VoiceCall dispatcher fed by a spool directory
 callspool turns job files dropped into a spool directory into Huawei Cloud
 VoiceCall calls (voice notifications and verification codes), keeps every
 job in an SQLite store, paces calls against the platform's limits, receives
 the platform's signed callbacks and exports Prometheus metrics.
 .
 The package installs and enables the systemd units (callspool.socket holds
 the callback port across restarts) but does not start them: edit
 /etc/callspool/callspool.toml, put the app secret in
 /etc/callspool/app_secret (mode 0600), run "callspool check", then
 "systemctl start callspool.socket callspool.service".
CONTROL

dpkg-deb --root-owner-group -Zxz --build "$root" "$out/$name.deb" >/dev/null
echo "$out/$name.deb"
echo "Depends: $depends"
