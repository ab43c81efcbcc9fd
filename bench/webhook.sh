#!/usr/bin/env bash
# Benchmarks the admission webhook over TLS with keep-alive against nginx serving a canned response of
# the same size over TLS on the same machine, in one run. Prints req/s, p50/p99 latency, our peak RSS
# (VmHWM) and the throughput ratio to nginx.
#
# Usage: bench/webhook.sh [duration-seconds (default 10)] [connections (default 64)]
# Env: ROUNDS (default 2) alternating rounds per server, best kept; WRK_THREADS (default 2);
#      SCRATCH_PATH (default .build-server-release); SWIFT_BUILD_FLAGS (replaces the flags of scripts/release-flags.sh).
# Needs: wrk, nginx (Debian nginx-light), curl. Builds the release binary into .build-server-release.
set -euo pipefail

DURATION="${1:-10}"
CONNECTIONS="${2:-64}"
THREADS="${WRK_THREADS:-2}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="$ROOT/bench"
SCRATCH="${SCRATCH_PATH:-$ROOT/.build-server-release}"

for tool in wrk nginx curl; do
    command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y wrk nginx-light curl)" >&2; exit 1; }
done

echo "building release binary..." >&2
# Built as `make build` ships it (scripts/release-flags.sh: Swift runtime and Foundation linked statically,
# hot code laid out together); SWIFT_BUILD_FLAGS=" " measures the plain dynamically linked build instead.
# shellcheck disable=SC2086
swift build -c release --scratch-path "$SCRATCH" --product external-secrets ${SWIFT_BUILD_FLAGS:-$("$ROOT/scripts/release-flags.sh")} >&2
BIN="$SCRATCH/release/external-secrets"

WORK="$(mktemp -d)"
SERVER_PID=""
NGINX_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
    [ -n "$NGINX_PID" ] && kill -QUIT "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
PORT="$(free_port)"; HEALTH_PORT="$(free_port)"; METRICS_PORT="$(free_port)"; NGINX_PORT="$(free_port)"
WEBHOOK_PATH="/validate-external-secrets-io-v1-externalsecret"

# Our server; an empty cert dir makes it generate a CA and serving certificate (ECDSA P-256).
"$BIN" serve --host 127.0.0.1 --port "$PORT" --health-port "$HEALTH_PORT" --metrics-port "$METRICS_PORT" \
    --cert-dir "$WORK/certs" --log-level warning >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$HEALTH_PORT/readyz" >/dev/null 2>&1 && break
    sleep 0.1
done
curl -fsS "http://127.0.0.1:$HEALTH_PORT/readyz" >/dev/null || { echo "server did not become ready" >&2; cat "$WORK/server.log" >&2; exit 1; }

# The canned nginx response is exactly what our webhook answers to the same request.
RESPONSE="$(curl -fsS --cacert "$WORK/certs/ca.crt" -H 'Content-Type: application/json' \
    --data-binary @"$BENCH/admission-review.json" "https://localhost:$PORT$WEBHOOK_PATH")"
ESCAPED_RESPONSE="$(printf '%s' "$RESPONSE" | sed "s/'/\\\\'/g")"

mkdir -p "$WORK/nginx"
cat >"$WORK/nginx/nginx.conf" <<NGINX
worker_processes auto;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$NGINX_PORT ssl;
        ssl_certificate $WORK/certs/tls.crt;
        ssl_certificate_key $WORK/certs/tls.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        client_max_body_size 8m;
        location / {
            default_type application/json;
            return 200 '$ESCAPED_RESPONSE';
        }
    }
}
NGINX
nginx -e "$WORK/nginx/error.log" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
NGINX_PID=$!
for _ in $(seq 1 50); do
    curl -fsS -k "https://127.0.0.1:$NGINX_PORT/" >/dev/null 2>&1 && break
    sleep 0.1
done
NGINX_SIZE="$(curl -fsS -k --data-binary @"$BENCH/admission-review.json" "https://127.0.0.1:$NGINX_PORT$WEBHOOK_PATH" | wc -c)"

cat >"$WORK/post.lua" <<LUA
local f = io.open("$BENCH/admission-review.json", "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
LUA

run_wrk() { # url -> prints "rps p50 p99"
    local out
    out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/post.lua" "$1")"
    echo "$out" >>"$WORK/wrk.log"
    local rps p50 p99 errors
    rps="$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
    p50="$(echo "$out" | awk '$1 == "50%" {print $2}')"
    p99="$(echo "$out" | awk '$1 == "99%" {print $2}')"
    errors="$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')"
    echo "$rps $p50 $p99 ${errors:-none}"
}

REQUEST_SIZE="$(wc -c <"$BENCH/admission-review.json")"
echo "request: ${REQUEST_SIZE} B AdmissionReview; response: ${#RESPONSE} B (nginx: ${NGINX_SIZE} B); ${CONNECTIONS} connections, ${DURATION}s, wrk -t${THREADS}, $(nproc) cores"

# Alternate the two servers for ROUNDS rounds and keep each one's best round: the machine may be
# shared, and a burst of other work should not decide the comparison.
ROUNDS="${ROUNDS:-2}"
OUR_RPS=0; NGINX_RPS=0
for round in $(seq 1 "$ROUNDS"); do
    read -r rps p50 p99 errors <<<"$(run_wrk "https://127.0.0.1:$PORT$WEBHOOK_PATH")"
    echo "round $round external-secrets: $rps req/s p50 $p50 p99 $p99 errors: $errors"
    if awk -v a="$rps" -v b="$OUR_RPS" 'BEGIN { exit !(a > b) }'; then
        OUR_RPS="$rps"; OUR_P50="$p50"; OUR_P99="$p99"; OUR_ERRORS="$errors"
    fi
    read -r rps p50 p99 errors <<<"$(run_wrk "https://127.0.0.1:$NGINX_PORT$WEBHOOK_PATH")"
    echo "round $round nginx:            $rps req/s p50 $p50 p99 $p99 errors: $errors"
    if awk -v a="$rps" -v b="$NGINX_RPS" 'BEGIN { exit !(a > b) }'; then
        NGINX_RPS="$rps"; NGINX_P50="$p50"; NGINX_P99="$p99"; NGINX_ERRORS="$errors"
    fi
done
echo "best of $ROUNDS rounds:"
RSS_KB="$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")"
ANON_KB="$(awk '/RssAnon/ {print $2}' "/proc/$SERVER_PID/status")"
FILE_KB="$(awk '/RssFile/ {print $2}' "/proc/$SERVER_PID/status")"

printf '%-16s %12s %10s %10s  %s\n' "server" "req/s" "p50" "p99" "errors"
printf '%-16s %12s %10s %10s  %s\n' "external-secrets" "$OUR_RPS" "$OUR_P50" "$OUR_P99" "$OUR_ERRORS"
printf '%-16s %12s %10s %10s  %s\n' "nginx" "$NGINX_RPS" "$NGINX_P50" "$NGINX_P99" "$NGINX_ERRORS"
echo "peak RSS (VmHWM) of external-secrets: $((RSS_KB / 1024)) MiB (${RSS_KB} kB); now: anonymous ${ANON_KB} kB, file-backed (code, shared libraries) ${FILE_KB} kB"
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v a="$OUR_RPS" -v b="$NGINX_RPS" 'BEGIN { printf "throughput ratio external-secrets/nginx: %.2fx\n", a / b }'
