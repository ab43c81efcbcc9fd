#!/usr/bin/env bash
# Informer benchmark: list+watch of N Secrets (metadata only by default) from the in-memory test
# API server, measured in a separate client process: time to a synced cache and its RSS.
#
#   bench/kube-informer.sh [N=10000] [extra bench-informer flags, e.g. --full-objects]
#
# Builds release binaries into .build-bench (override with SCRATCH=...).
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-10000}"
shift || true
SCRATCH="${SCRATCH:-.build-bench}"
swift build -c release --scratch-path "$SCRATCH" --product external-secrets >/dev/null
BIN="$SCRATCH/release/external-secrets"
WORK="$(mktemp -d)"
trap 'kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT

"$BIN" test-apiserver --kubeconfig-out "$WORK/kubeconfig" --seed-secrets "$N" --secret-bytes 1024 >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 600); do [ -s "$WORK/kubeconfig" ] && break; sleep 0.1; done
[ -s "$WORK/kubeconfig" ] || { echo "test-apiserver did not start"; cat "$WORK/server.log"; exit 1; }

echo "Secrets: $N (1 KiB data each)"
"$BIN" bench-informer --kubeconfig "$WORK/kubeconfig" --namespace default "$@"
echo "server RSS: $(grep VmRSS /proc/$SERVER_PID/status | awk '{print $2" "$3}')"
