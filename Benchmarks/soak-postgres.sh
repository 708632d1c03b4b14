#!/usr/bin/env bash
# The soak on PostgreSQL with a throwaway server of its own, so the soak may
# restart it: initdb in a temporary directory (as the postgres user when run
# as root, as CI is), pg_ctl start on a free port, then
#   callspool-bench soak SECONDS [SEED]
# with CALLSPOOL_BENCH_POSTGRES pointing at it (two instances, a fresh
# database) and CALLSPOOL_SOAK_PG_RESTART the command that restarts the
# server (one of the soak's faults). The server is stopped and removed at
# the end (CALLSPOOL_SOAK_KEEP=1: kept, stopped, for `callspool-bench
# soak-check`); the soak's exit status is this script's.
#
#   Benchmarks/soak-postgres.sh 300 11     # needs .build/release/callspool{,-bench}
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
seed=${2:-}
bench=${CALLSPOOL_BENCH_BINARY:-.build/release/callspool-bench}

bin=""
for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
  [ -x "$candidate/initdb" ] && { bin=$candidate; break; }
done
[ -n "$bin" ] || bin=$(dirname "$(command -v initdb)")

dir=$(mktemp -d /tmp/callspool-soakpg.XXXXXX)
chmod 755 "$dir"
as_owner=()
if [ "$(id -u)" = 0 ]; then
  chown postgres: "$dir"
  as_owner=(runuser -u postgres --)
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
options="-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=100"
cleanup() {
  if [ "${CALLSPOOL_SOAK_KEEP:-}" = 1 ]; then
    # Kept for `callspool-bench soak-check`: the server stopped cleanly, its
    # data left, and how to start it again on the same port.
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    echo "soak-postgres: the database is kept in $dir; start it again with:"
    echo "  ${as_owner[*]} $bin/pg_ctl -D $dir/data -o '$options' -l $dir/server.log -w start"
    return
  fi
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
"${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U callspool --auth=trust -E UTF8 >/dev/null
"${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -o "$options" -l "$dir/server.log" -w -t 60 start >/dev/null

export CALLSPOOL_BENCH_POSTGRES="postgresql://callspool@127.0.0.1:$port/postgres"
# A fast restart (sessions ended, a checkpoint), as a package upgrade does.
export CALLSPOOL_SOAK_PG_RESTART="${as_owner[*]} $bin/pg_ctl -D $dir/data -o '$options' -l $dir/server.log -m fast -w -t 60 restart"
status=0
"$bench" soak "$seconds" $seed || status=$?
exit $status
