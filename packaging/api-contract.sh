#!/usr/bin/env bash
# Property-based tests of the HTTP API against its contract,
# docs/api/openapi.yaml, with schemathesis: a daemon is started with the
# API on (every scope) and schemathesis sends generated requests, valid and
# invalid, to every route. It fails when an answer is a 5xx, does not
# conform to the contract (status, headers, body schema), or when the
# contract's examples do not hold. Not checked: that every request the
# schema allows is accepted (positive_data_acceptance): a job the JSON
# Schema allows may still break a rule of the job-file validator (a number
# that is not E.164, a verify job without its code), which is a 422 naming
# the field, as documented.
#
#   packaging/api-contract.sh [MAX_EXAMPLES]     default 40 per operation
#
# Needs the built daemon ($CALLSPOOL_BINARY, default .build/debug/callspool)
# and schemathesis (pip install schemathesis; .ci/run installs it in a venv).
# The platform is not reachable (no calls are placed): only the API is under
# test. Prints the seed: SCHEMATHESIS_SEED=N replays a run.
set -euo pipefail
cd "$(dirname "$0")/.."
examples="${1:-40}"
binary="${CALLSPOOL_BINARY:-.build/debug/callspool}"
schemathesis="${SCHEMATHESIS:-schemathesis}"
seed="${SCHEMATHESIS_SEED:-$RANDOM}"

dir=$(mktemp -d)
daemon=""
cleanup() {
  if [ -n "$daemon" ]; then kill "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
api_port=$(free_port)
callback_port=$(free_port)
metrics_port=$(free_port)
token=$(python3 -c 'import secrets; print(secrets.token_hex(24))')
printf 'contract-app-secret-0123456789\n' > "$dir/app_secret"
printf '%s\n' "$token" > "$dir/api_token"
chmod 600 "$dir/app_secret" "$dir/api_token"
cat > "$dir/callspool.toml" <<TOML
[platform]
# Nothing listens there: jobs fail to be sent, the API is what is tested.
base_url = "https://127.0.0.1:9"
app_key = "contract-app-key"
app_secret_file = "$dir/app_secret"
[spool]
dir = "$dir/spool"
[store]
path = "$dir/store.sqlite"
[callbacks]
listen = "127.0.0.1:$callback_port"
status_url = "https://callbacks.example.com/callspool/status"
fee_url = "https://callbacks.example.com/callspool/fee"
[metrics]
listen = "127.0.0.1:$metrics_port"
[guard]
verify_per_callee = "off"
verify_per_prefix = "off"
[api]
listen = "127.0.0.1:$api_port"
[api.clients.contract]
token_file = "$dir/api_token"
scopes = ["submit", "read", "control"]
TOML

"$binary" run --config "$dir/callspool.toml" --log-level error > "$dir/daemon.log" 2>&1 &
daemon=$!
for _ in $(seq 1 100); do
  if python3 -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $api_port)))" 2>/dev/null; then break; fi
  if ! kill -0 "$daemon" 2>/dev/null; then cat "$dir/daemon.log" >&2; echo "api-contract: the daemon did not start" >&2; exit 1; fi
  sleep 0.1
done

echo "api-contract: schemathesis, $examples examples per operation, seed $seed"
status=0
"$schemathesis" run docs/api/openapi.yaml --url "http://127.0.0.1:$api_port" \
  --header "Authorization: Bearer $token" \
  --checks all --exclude-checks positive_data_acceptance \
  --max-examples "$examples" --seed "$seed" --workers 1 --generation-database none \
  --request-timeout 20 --no-color || status=$?
if [ "$status" -ne 0 ]; then
  echo "api-contract: failures above (seed $seed; the daemon's log follows)" >&2
  tail -n 40 "$dir/daemon.log" >&2
fi
exit "$status"
