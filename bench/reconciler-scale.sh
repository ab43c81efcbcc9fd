#!/usr/bin/env bash
# Reconciler scale benchmark: N ExternalSecrets (default 10,000) on the `fake` provider against the
# in-memory test API server, each in its own process. Reports time until all are Ready, provider calls
# and the controller's peak RSS. Usage: bench/reconciler-scale.sh [count] [concurrent]
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-10000}
CONCURRENT=${2:-8}
# BIN measures a given binary; otherwise the current sources are built (an up-to-date build only relinks
# nothing, a stale one would measure old code).
if [ -z "${BIN:-}" ]; then
    swift build -c release --product external-secrets >&2
    BIN="$(swift build -c release --show-bin-path)/external-secrets"
fi
WORK=$(mktemp -d)
trap 'kill $CTRL $API 2>/dev/null || true; rm -rf "$WORK"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

"$BIN" controller-bench-apiserver --kubeconfig-out "$WORK/kubeconfig" --crds deploy/crds > "$WORK/api.log" 2>&1 &
API=$!
for _ in $(seq 100); do [ -s "$WORK/kubeconfig" ] && break; sleep 0.1; done
start_controller() {
  METRICS=$(free_port); LIVE=$(free_port)
  "$BIN" controller --kubeconfig "$WORK/kubeconfig" --concurrent "$CONCURRENT" --client-qps 100000 --client-burst 100000 \
    --metrics-addr "127.0.0.1:$METRICS" --live-addr "127.0.0.1:$LIVE" --log-level warning >> "$WORK/controller.log" 2>&1 &
  CTRL=$!
}
start_controller
python3 bench/reconciler_scale.py --kubeconfig "$WORK/kubeconfig" --count "$COUNT" \
  --metrics "127.0.0.1:$METRICS" --controller-pid "$CTRL" --apiserver-pid "$API"
if [ "${RESTART:-0}" = 1 ]; then
  kill "$CTRL"; wait "$CTRL" 2>/dev/null || true
  python3 bench/reconciler_scale.py --phase snapshot --snapshot "$WORK/before.json" --kubeconfig "$WORK/kubeconfig" \
    --metrics unused:0 --controller-pid $$
  STARTED=$(date +%s.%N)
  start_controller
  for _ in $(seq 100); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $METRICS), 1)" 2>/dev/null && break; sleep 0.1; done
  python3 bench/reconciler_scale.py --phase restart --snapshot "$WORK/before.json" --started-at "$STARTED" \
    --kubeconfig "$WORK/kubeconfig" --count "$COUNT" --metrics "127.0.0.1:$METRICS" --controller-pid "$CTRL" \
    --apiserver-pid "$API"
fi
