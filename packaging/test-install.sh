#!/usr/bin/env bash
# Installs the callspool package into a fresh Debian root made with
# debootstrap (minbase: no Swift, no compiler) and runs the binary there:
# callspool --version, callspool validate on the shipped example job files,
# and callspool check on the shipped configuration (which reports the missing
# app secret). Needs root and a Debian mirror; not part of `swift test`.
#
#   packaging/test-install.sh [PACKAGE.deb] [ROOT]
#
# ROOT defaults to a new temporary directory; an existing bootstrapped ROOT
# is reused (the package is installed into it afresh).
set -euo pipefail
cd "$(dirname "$0")/.."
deb="${1:-$(ls -t .build-release/deb/callspool_*.deb 2>/dev/null | head -n1)}"
[ -f "$deb" ] || { echo "test-install: no package (run packaging/build-deb.sh first)" >&2; exit 2; }
root="${2:-$(mktemp -d /tmp/callspool-root.XXXXXX)}"
suite="${SUITE:-bookworm}"
mirror="${MIRROR:-http://deb.debian.org/debian}"

if [ ! -x "$root/usr/bin/apt-get" ]; then
  echo "== debootstrap --variant=minbase $suite $root"
  debootstrap --variant=minbase "$suite" "$root" "$mirror" >/dev/null
fi
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
mount -t proc proc "$root/proc"
trap 'umount "$root/proc" 2>/dev/null || true' EXIT
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }

echo "== no Swift in the root"
if in_root sh -c 'command -v swift || ls -d /usr/lib/swift /usr/share/swift 2>/dev/null'; then
  echo "test-install: the root has a Swift toolchain; the test would prove nothing" >&2
  exit 1
fi
echo "none"

cp "$deb" "$root/tmp/"
echo "== apt-get install ./$(basename "$deb")"
in_root apt-get update -qq
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "/tmp/$(basename "$deb")" | grep -E '^(Setting up|Unpacking) ' || true

echo "== ldd /usr/bin/callspool"
in_root ldd /usr/bin/callspool
echo "== callspool --version"
in_root callspool --version
echo "== callspool validate (shipped examples)"
in_root sh -c 'callspool validate /usr/share/doc/callspool/examples/jobs/*.json /usr/share/doc/callspool/examples/jobs/*.jsonl'
echo "== service user, directories, units (enabled, not started)"
in_root getent passwd callspool
in_root stat -c '%A %U:%G %n' /var/spool/callspool /var/spool/callspool/incoming /var/lib/callspool /etc/callspool/callspool.toml
in_root sh -c 'ls /etc/systemd/system/multi-user.target.wants/callspool.service /etc/systemd/system/sockets.target.wants/callspool.socket' \
  || { echo "test-install: callspool.service and callspool.socket should be enabled" >&2; exit 1; }
echo "== callspool check (the example configuration has no secret yet: exit 1 expected)"
set +e
in_root callspool check --config /etc/callspool/callspool.toml
status=$?
set -e
echo "check exit status: $status"
[ "$status" -eq 1 ] || { echo "test-install: expected callspool check to report the missing secret" >&2; exit 1; }
echo "== man page and completion"
in_root sh -c 'ls /usr/share/man/man1/callspool.1.gz /usr/share/bash-completion/completions/callspool'
echo "test-install: ok"
