#!/usr/bin/env bash
# Benchmarks the admission webhook's full path with real validation work: an AdmissionReview for a
# realistic ExternalSecret (10 data entries, a template with templateFrom) posted over TLS with
# keep-alive to `external-secrets serve`, beside the canned-response figure of bench/webhook.sh.
# Also measures the offline `validate` command on 10,000 objects.
#
# Usage: bench/admission-validation.sh [duration-seconds (default 10)] [connections (default 64)]
# Needs: wrk, curl, python3. Builds the release binary into .build-api-release.
set -euo pipefail

DURATION="${1:-10}"
CONNECTIONS="${2:-64}"
THREADS="${WRK_THREADS:-2}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SCRATCH="${SCRATCH_PATH:-$ROOT/.build-api-release}"

for tool in wrk curl python3; do
    command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y wrk curl python3)" >&2; exit 1; }
done

echo "building release binary..." >&2
# Built as `make build` ships it (scripts/release-flags.sh).
# shellcheck disable=SC2046
swift build -c release $("$ROOT/scripts/release-flags.sh") --scratch-path "$SCRATCH" --product external-secrets >&2
BIN="$SCRATCH/release/external-secrets"

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# The request: one ExternalSecret with 10 data entries and a template, as the API server sends it.
python3 - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
es = {
    "apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret",
    "metadata": {"name": "database-credentials", "namespace": "payments", "uid": "3c1f6e52-2c1d-4a53-9bd4-4c1f0e0d8a11",
                 "labels": {"app.kubernetes.io/name": "payments", "app.kubernetes.io/part-of": "checkout"},
                 "annotations": {"argocd.argoproj.io/sync-wave": "1"}},
    "spec": {
        "refreshInterval": "15m", "refreshPolicy": "Periodic",
        "secretStoreRef": {"name": "aws-secrets-manager", "kind": "ClusterSecretStore"},
        "target": {"name": "database-credentials", "creationPolicy": "Owner", "deletionPolicy": "Retain",
                   "template": {"engineVersion": "v2", "type": "Opaque", "mergePolicy": "Replace",
                                "metadata": {"labels": {"team": "payments"}, "annotations": {"rotated-by": "eso"}},
                                "data": {"DATABASE_URL": "postgres://{{ .username }}:{{ .password }}@{{ .host }}:{{ .port }}/{{ .database }}?sslmode=require",
                                         "config.yaml": "host: {{ .host }}\nport: {{ .port }}\nuser: {{ .username }}\n"},
                                "templateFrom": [{"configMap": {"name": "db-template", "items": [{"key": "pgbouncer.ini", "templateAs": "Values"}]}},
                                                 {"target": "Labels", "literal": "tier: {{ .tier }}"}]}},
        "data": [{"secretKey": k, "remoteRef": {"key": "prod/payments/database", "property": k,
                                                "conversionStrategy": "Default", "decodingStrategy": "None", "metadataPolicy": "None"}}
                 for k in ["username", "password", "host", "port", "database", "tier", "replica-host", "ca.crt", "client.crt", "client.key"]],
    },
}
review = {"kind": "AdmissionReview", "apiVersion": "admission.k8s.io/v1", "request": {
    "uid": "705ab4f5-6393-11e8-b7cc-42010a800002",
    "kind": {"group": "external-secrets.io", "version": "v1", "kind": "ExternalSecret"},
    "resource": {"group": "external-secrets.io", "version": "v1", "resource": "externalsecrets"},
    "name": "database-credentials", "namespace": "payments", "operation": "CREATE",
    "userInfo": {"username": "system:serviceaccount:argocd:argocd-application-controller", "groups": ["system:serviceaccounts"]},
    "object": es, "oldObject": None, "dryRun": False,
    "options": {"kind": "CreateOptions", "apiVersion": "meta.k8s.io/v1", "fieldManager": "argocd-controller"}}}
open(f"{work}/review.json", "w").write(json.dumps(review))
with open(f"{work}/many.yaml", "w") as f:
    for i in range(10000):
        es["metadata"]["name"] = f"es-{i}"
        f.write("---\n" + json.dumps(es) + "\n")
PY

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
PORT="$(free_port)"; HEALTH_PORT="$(free_port)"; METRICS_PORT="$(free_port)"
WEBHOOK_PATH="/validate-external-secrets-io-v1-externalsecret"

"$BIN" serve --host 127.0.0.1 --port "$PORT" --health-port "$HEALTH_PORT" --metrics-port "$METRICS_PORT" \
    --cert-dir "$WORK/certs" --log-level warning >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$HEALTH_PORT/readyz" >/dev/null 2>&1 && break
    sleep 0.1
done

RESPONSE="$(curl -fsS --cacert "$WORK/certs/ca.crt" -H 'Content-Type: application/json' \
    --data-binary @"$WORK/review.json" "https://localhost:$PORT$WEBHOOK_PATH")"
echo "response: $RESPONSE"
case "$RESPONSE" in
    *'"status":{"metadata":{},"code":200}'*) ;;
    *) echo "note: serve is not answering with ESAdmission's AdmissionHandler yet (placeholder response)" >&2 ;;
esac

cat >"$WORK/post.lua" <<LUA
local f = io.open("$WORK/review.json", "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
LUA

OUT="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/post.lua" "https://127.0.0.1:$PORT$WEBHOOK_PATH")"
RPS="$(echo "$OUT" | awk '/Requests\/sec/ {print $2}')"
P50="$(echo "$OUT" | awk '$1 == "50%" {print $2}')"
P99="$(echo "$OUT" | awk '$1 == "99%" {print $2}')"
echo "request: $(wc -c <"$WORK/review.json") B; ${CONNECTIONS} connections, ${DURATION}s, $(nproc) cores"
printf '%-28s %12s %10s %10s\n' "path" "req/s" "p50" "p99"
printf '%-28s %12s %10s %10s\n' "validate ES (10 data+tmpl)" "$RPS" "$P50" "$P99"
echo "(compare with the canned-response figure of bench/webhook.sh)"

START="$(date +%s.%N)"
"$BIN" validate -f "$WORK/many.yaml" >/dev/null
END="$(date +%s.%N)"
python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); print(f'validate: 10000 objects in {s:.2f}s ({10000/s:.0f} objects/s)')" "$START" "$END"
