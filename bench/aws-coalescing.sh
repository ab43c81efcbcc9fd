#!/usr/bin/env bash
# AWS provider call benchmark: N ExternalSecret-style reads (new client + GetSecret, as one reconcile does)
# of M distinct Secrets Manager secrets against a local moto server with IAM auth on, at several
# concurrency levels; prints calls made (coalescing + batching) versus the naive one call per read,
# plus a find over all M secrets.
#
#   bench/aws-coalescing.sh [READS=1000] [SECRETS=100] [CONCURRENCY=1,10,100]
#
# Needs python3 with moto[server] (scripts/install-deps.sh --test). Builds into .build-bench
# (override with SCRATCH=...; BIN=path uses an existing binary).
set -euo pipefail
cd "$(dirname "$0")/.."
READS="${1:-1000}"
SECRETS="${2:-100}"
CONCURRENCY="${3:-1,10,100}"
SCRATCH="${SCRATCH:-.build-bench}"
if [ -z "${BIN:-}" ]; then
    swift build -c release --scratch-path "$SCRATCH" --product external-secrets >/dev/null
    BIN="$SCRATCH/release/external-secrets"
    SUB=(bench-aws-coalescing)
else
    SUB=()
    "$BIN" --help 2>/dev/null | grep -q "bench-aws-coalescing\|USAGE: external-secrets" && SUB=(bench-aws-coalescing)
fi
WORK="$(mktemp -d)"
mkfifo "$WORK/stdin"
python3 Tests/ESProviderAWSTests/Fixtures/moto_launcher.py <"$WORK/stdin" >"$WORK/port" 2>"$WORK/moto.log" &
MOTO_PID=$!
exec 4>"$WORK/stdin"   # keep moto's stdin open; closing it stops moto
trap 'exec 4>&-; wait "$MOTO_PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 300); do [ -s "$WORK/port" ] && break; sleep 0.1; done
[ -s "$WORK/port" ] || { echo "moto did not start"; cat "$WORK/moto.log"; exit 1; }
PORT="$(head -1 "$WORK/port")"
"$BIN" "${SUB[@]}" --endpoint "http://127.0.0.1:$PORT" --reads "$READS" --secrets "$SECRETS" --concurrency "$CONCURRENCY"
