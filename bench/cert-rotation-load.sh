#!/usr/bin/env bash
# Certificate rotation under load: clients that re-read the caBundle from the webhook configuration before every
# new TLS connection (and use it with an apiserver-like propagation lag) keep calling a webhook server that
# hot-reloads the cert-controller's directory, while the cert-controller performs N forced rotations
# (alternating serving certificate and CA, each CA with the overlapping hand-over). Prints the number of
# rotations, requests and failures; exits non-zero on any failed request.
#
#   bench/cert-rotation-load.sh [ROTATIONS=100] [LAG_MS=400]
#
# Runs Tests/ESCertControllerTests/RotationLoadTests.swift against the in-memory test API server.
set -euo pipefail
cd "$(dirname "$0")/.."
rotations="${1:-100}"
lag="${2:-400}"
export ES_ROTATION_LOAD_COUNT="$rotations" ES_ROTATION_LOAD_LAG_MS="$lag"
output="$(swift test --scratch-path .build-bench-certs --filter RotationLoadTests 2>&1)" || status=$?
grep -E "rotation load|✘|error:" <<<"$output" || true
exit "${status:-0}"
