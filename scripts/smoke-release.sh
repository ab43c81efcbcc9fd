#!/usr/bin/env bash
# Release-build smoke test: optimized builds can expose lifetime bugs that debug builds hide (objects released
# early while C code still holds their pointers), so run the real binary's main paths built with -c release:
# serve on its embedded default (certificate generation, TLS, validation, mutation, health, metrics, SIGTERM),
# validate, certs generate/inspect, render. Prints "N passed, N failed" and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
# As `make build` ships it (scripts/release-flags.sh). SCRATCH_PATH builds elsewhere than .build.
read -ra FLAGS <<<"-c release $(scripts/release-flags.sh) ${SCRATCH_PATH:+--scratch-path $SCRATCH_PATH}"
swift build "${FLAGS[@]}" --product external-secrets >&2 || exit 1
BIN="$(swift build "${FLAGS[@]}" --show-bin-path)/external-secrets"
WORK="$(mktemp -d)"
SERVER=""
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"' EXIT
passed=0; failed=0
check() {  # name, command...
    local name=$1; shift
    if "$@" >"$WORK/out" 2>&1; then passed=$((passed + 1)); echo "ok   $name"
    else failed=$((failed + 1)); echo "FAIL $name"; sed 's/^/     /' "$WORK/out" | tail -20; fi
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port); HEALTH=$(free_port); METRICS=$(free_port)

"$BIN" serve --host 127.0.0.1 --port "$PORT" --health-port "$HEALTH" --metrics-port "$METRICS" \
    --cert-dir "$WORK/certs" --log-format text > "$WORK/serve.log" 2>&1 &
SERVER=$!
ready() { for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$HEALTH/readyz" >/dev/null && return 0; sleep 0.1; done; return 1; }
check "serve becomes ready on generated certificates" ready

review() {  # operation, creationPolicy
    cat <<JSON
{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u-1","operation":"$1",
 "kind":{"group":"external-secrets.io","version":"v1","kind":"ExternalSecret"},"namespace":"default","name":"db",
 "object":{"apiVersion":"external-secrets.io/v1","kind":"ExternalSecret","metadata":{"name":"db","namespace":"default"},
  "spec":{"secretStoreRef":{"name":"fake"},"target":{"creationPolicy":"$2","deletionPolicy":"Delete"},
   "data":[{"secretKey":"password","remoteRef":{"key":"db-password"}}]}}}}
JSON
}
post() { curl -sS --cacert "$WORK/certs/ca.crt" "https://localhost:$PORT$1" -H 'Content-Type: application/json' -d @-; }
denied() { review CREATE Merge | post /validate-external-secrets-io-v1-externalsecret | grep -q "deletionPolicy=Delete must not be used when the controller doesn't own the secret"; }
allowed() { review CREATE Owner | post /validate-external-secrets-io-v1-externalsecret | grep -q '"allowed":true'; }
patched() { review CREATE Owner | post /mutate-external-secrets-io-v1-externalsecret | grep -q '"patchType":"JSONPatch"'; }
tls12() { curl -sS --tls-max 1.2 --cacert "$WORK/certs/ca.crt" "https://127.0.0.1:$PORT/healthz" -o /dev/null -w '%{http_code}' | grep -q 404; }
check "webhook denies with ESO's message over TLS" denied
check "webhook allows a valid ExternalSecret" allowed
check "mutating webhook answers a JSONPatch" patched
check "TLS 1.2 handshake against the IP SAN" tls12
check "metrics expose webhook requests" sh -c "curl -sf http://127.0.0.1:$METRICS/metrics | grep -q controller_runtime_webhook_requests_total"
kill -TERM "$SERVER"; wait "$SERVER"; status=$?; SERVER=""
check "SIGTERM exits 0" test "$status" -eq 0

check "validate accepts the examples" "$BIN" validate -f examples
check "certs generate" "$BIN" certs generate --dir "$WORK/gen" --service-name s --service-namespace n
check "certs inspect verifies the chain" "$BIN" certs inspect --dir "$WORK/gen"
printf '{"username":"YWRtaW4=","password":"czNjcjN0"}' > "$WORK/data.json"
cat > "$WORK/es.yaml" <<'YAML'
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: db, namespace: default}
spec:
  secretStoreRef: {name: fake}
  target:
    template:
      data:
        DATABASE_URL: "postgresql://{{ .username }}:{{ .password }}@db:5432/app"
  data:
  - {secretKey: username, remoteRef: {key: db, property: username}}
YAML
rendered() {
    "$BIN" render -f "$WORK/es.yaml" --data "$WORK/data.json" | grep -q "DATABASE_URL: $(printf 'postgresql://admin:s3cr3t@db:5432/app' | base64 -w0)"
}
check "render an example template" rendered

echo "smoke: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
