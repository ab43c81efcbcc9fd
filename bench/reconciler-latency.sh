#!/usr/bin/env bash
# Apply→Secret latency (p50/p99 over N applies, default 200) with and without sync on admission,
# against the in-process test API server. Usage: bench/reconciler-latency.sh [applies]
set -euo pipefail
cd "$(dirname "$0")/.."
# BIN measures a given binary; otherwise the current sources are built (a stale binary would measure old code).
if [ -z "${BIN:-}" ]; then
    swift build -c release --product external-secrets >&2
    BIN="$(swift build -c release --show-bin-path)/external-secrets"
fi
"$BIN" controller-latency-bench --applies "${1:-200}" --crds deploy/crds
