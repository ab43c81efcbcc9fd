#!/usr/bin/env bash
# Regenerates scripts/hot-code.order: the functions the webhook server runs once it is serving, in the order
# the release link lays them out (scripts/release-flags.sh passes the file to lld).
#
# Why: `serve` drops its start-up code from memory (ResidentCode.trimAfterStartup: MADV_DONTNEED on the
# executable mappings), but each later fault on a code page maps the whole 64 KiB around it (the kernel's
# fault-around), so what stays resident is 64 KiB per distinct window the steady state touches. Linked in
# source order, the request path's ~600 KiB of functions are spread over ~26 MiB of text and keep ~95 windows
# (6 MiB) resident; laid out together they fill ~10, and the rest comes from the few large sections that
# cannot be reordered (the Swift standard library's private functions, _Concurrency, _StringProcessing,
# libdispatch are each one section).
#
# How: builds the release binary as shipped, runs `serve` under callgrind (`valgrind --tool=callgrind`),
# dumping a profile part each time trimAfterStartup returns, then idles and drives every request path
# (the ExternalSecret and SecretStore webhooks with 64 keep-alive connections, new TLS connections, health
# and metrics) and dumps once more. The order file lists, as mangled symbol names:
#   1. the functions executed after the last trim (the resident set), most instructions first;
#   2. then the functions of serve's start-up after the first trim (code whose first use may fall on either
#      side of the last trim depending on timing).
# Only names defined in the binary are kept; lld skips names that no longer exist, so a stale file only
# loses benefit, never breaks the build.
#
# When: after changes that move the request path to other functions (new or renamed types and functions on
# it, a new Swift toolchain). Check first: the script's last line gives the resident 64 KiB windows the
# profiled functions occupy in the current binary against the minimum; regenerate when they drift apart.
# The result depends on the code, not on the machine: commit the regenerated file with the change.
# SwiftPM does not track the order file: delete the linked binary (`.build/release/external-secrets`) so the
# next build relinks it. It does not recompile objects for changed flags either: a build directory whose
# release objects predate scripts/release-flags.sh keeps them (one section per file, not reorderable) until
# their sources change; `rm -rf .build/x86_64-unknown-linux-gnu/release` once gives the full layout.
#
# Usage: scripts/hot-code-order.sh   (about 5 minutes; a clean release build takes longer)
# Env: SCRATCH_PATH (default .build-hot-code). Needs: valgrind, wrk, curl, python3.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SCRATCH="${SCRATCH_PATH:-$ROOT/.build-hot-code}"
ORDER="$ROOT/scripts/hot-code.order"
for tool in valgrind callgrind_control wrk curl python3; do
    command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y valgrind wrk curl python3)" >&2; exit 1; }
done
[ -f "$ORDER" ] || : >"$ORDER"   # the release link names the file

echo "building release binary..." >&2
# shellcheck disable=SC2046
swift build -c release --scratch-path "$SCRATCH" --product external-secrets $("$ROOT/scripts/release-flags.sh") >&2
WORK="$(mktemp -d)"
VALGRIND_PID=""
cleanup() {
    [ -n "$VALGRIND_PID" ] && kill -TERM "$VALGRIND_PID" 2>/dev/null && wait "$VALGRIND_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
# Without debug information valgrind starts in seconds; the symbol table stays.
strip -g -o "$WORK/external-secrets" "$SCRATCH/release/external-secrets"
BIN="$WORK/external-secrets"
nm --defined-only -S "$BIN" >"$WORK/symbols"
TRIM="$(awk '$4 ~ /ResidentCode.*trimAfterStartup/ {print $4}' "$WORK/symbols" | sort -u)"
[ -n "$TRIM" ] || { echo "no ResidentCode.trimAfterStartup symbol in the binary" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
PORT="$(free_port)"; HEALTH="$(free_port)"; METRICS="$(free_port)"
valgrind --tool=callgrind --demangle=no --fair-sched=yes --dump-after="$TRIM" --callgrind-out-file="$WORK/profile" \
    "$BIN" serve --host 127.0.0.1 --port "$PORT" --health-port "$HEALTH" --metrics-port "$METRICS" \
    --cert-dir "$WORK/certs" --log-level warning >"$WORK/serve.log" 2>&1 &
VALGRIND_PID=$!
for _ in $(seq 1 600); do
    curl -fsS "http://127.0.0.1:$HEALTH/readyz" >/dev/null 2>&1 && break
    sleep 0.2
done
curl -fsS "http://127.0.0.1:$HEALTH/readyz" >/dev/null || { echo "server did not become ready" >&2; cat "$WORK/serve.log" >&2; exit 1; }

echo "profiling: idle, then every request path..." >&2
sleep 3
python3 - "$ROOT/bench/admission-review.json" "$WORK" <<'PY'
import json, sys
review = json.load(open(sys.argv[1]))
store = {"apiVersion": "external-secrets.io/v1", "kind": "SecretStore",
         "metadata": {"name": "aws", "namespace": "default"},
         "spec": {"provider": {"aws": {"service": "SecretsManager", "region": "eu-west-1",
                  "auth": {"secretRef": {"accessKeyIDSecretRef": {"name": "aws", "key": "id"},
                                         "secretAccessKeySecretRef": {"name": "aws", "key": "secret"}}}}}}}
review["request"].update({"kind": {"group": "external-secrets.io", "version": "v1", "kind": "SecretStore"},
                          "resource": {"group": "external-secrets.io", "version": "v1", "resource": "secretstores"},
                          "object": store})
review["request"].pop("oldObject", None)
json.dump(review, open(sys.argv[2] + "/store-review.json", "w"))
PY
post_script() {  # body file, extra header line
    cat <<LUA
local f = io.open("$1", "rb")
wrk.method = "POST"; wrk.body = f:read("*a"); f:close()
wrk.headers["Content-Type"] = "application/json"
$2
LUA
}
post_script "$ROOT/bench/admission-review.json" "" >"$WORK/es.lua"
post_script "$ROOT/bench/admission-review.json" 'wrk.headers["Connection"] = "close"' >"$WORK/es-close.lua"
post_script "$WORK/store-review.json" "" >"$WORK/store.lua"
URL="https://127.0.0.1:$PORT"
wrk -t2 -c64 -d5s -s "$WORK/es.lua" "$URL/validate-external-secrets-io-v1-externalsecret" >/dev/null
wrk -t2 -c8 -d3s -s "$WORK/es.lua" "$URL/mutate-external-secrets-io-v1-externalsecret" >/dev/null
wrk -t2 -c8 -d3s -s "$WORK/store.lua" "$URL/validate-external-secrets-io-v1-secretstore" >/dev/null
wrk -t2 -c8 -d3s -s "$WORK/store.lua" "$URL/mutate-external-secrets-io-v1-secretstore" >/dev/null
wrk -t2 -c4 -d3s -s "$WORK/es-close.lua" "$URL/validate-external-secrets-io-v1-externalsecret" >/dev/null
for _ in 1 2 3; do
    curl -fsS "http://127.0.0.1:$HEALTH/healthz" "http://127.0.0.1:$HEALTH/readyz" "http://127.0.0.1:$METRICS/metrics" >/dev/null
done
parts() { find "$WORK" -name 'profile.*' | wc -l; }
before="$(parts)"
callgrind_control --dump "$VALGRIND_PID" >/dev/null 2>&1
for _ in $(seq 1 300); do [ "$(parts)" -gt "$before" ] && break; sleep 0.1; done
sleep 2   # let the part be written completely
kill -TERM "$VALGRIND_PID"; wait "$VALGRIND_PID" 2>/dev/null || true; VALGRIND_PID=""

# The Swift runtime's static libraries, whose objects mostly keep one `.text` section for all their private
# functions (not reorderable by name).
SWIFT_STATIC="$(cd "$(dirname "$(readlink -f "$(command -v swiftc)")")/../lib/swift_static/linux" && pwd)"
for archive in "$SWIFT_STATIC"/*.a; do readelf -SW -sW "$archive"; done >"$WORK/static-libs" 2>/dev/null || true
python3 - "$WORK" "$ORDER" <<'PY'
import collections, glob, re, sys
work, order_path = sys.argv[1], sys.argv[2]

def monolithic_names(path):
    """Functions that the static libraries define in a member's shared `.text` section: ordering one of them
    moves that whole section (up to 1.6 MiB), so they go after the functions that have sections of their own.
    Local names defined in several members (`block_copy_helper`, value witnesses) count too: lld orders
    every symbol of a name."""
    names, text_index = set(), None
    for line in open(path, errors="replace"):
        if line.startswith("File: "):
            text_index = None
            continue
        m = re.match(r"\s*\[\s*(\d+)\]\s+(\S+)", line)
        if m and m.group(2) == ".text":
            text_index = m.group(1)
            continue
        fields = line.split()
        if len(fields) >= 8 and fields[3] == "FUNC" and fields[6] == text_index:
            names.add(fields[7])
    return names

def self_costs(path):
    """Self instruction counts per function name of one callgrind part (name compression resolved)."""
    names, cost, current, after_calls = {}, collections.Counter(), None, False
    for line in open(path, errors="replace"):
        m = re.match(r"(c?fn)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
        if m:
            kind, key, name = m.groups()
            if name is not None:
                names[key] = re.sub(r"'\d+$", "", name)
            if kind == "fn":
                current = names.get(key)
            continue
        if line.startswith("calls="):
            after_calls = True
        elif line[:1].isdigit() or line[:1] in "+-*":
            if after_calls:
                after_calls = False   # the inclusive cost of a call, not this function's own
            elif current is not None:
                fields = line.split()
                if len(fields) >= 2:
                    cost[current] += int(fields[1])
    return cost

parts = sorted(glob.glob(work + "/profile.*"), key=lambda p: int(p.rsplit(".", 1)[1]))
if len(parts) < 3:
    sys.exit("expected a profile part per trim plus the steady state, got %d parts" % len(parts))
steady = self_costs(parts[-1])          # after the last trim: idle and every request path
startup = collections.Counter()
for part in parts[1:-1]:                # serve's start-up between the first and the last trim
    startup.update(self_costs(part))
defined = {}
for line in open(work + "/symbols"):
    f = line.split()
    if len(f) == 4 and f[2] in "tTwW":
        defined.setdefault(f[3], (int(f[0], 16), int(f[1], 16)))
first = [n for n, c in steady.most_common() if c > 0 and n in defined]
seen = set(first)
second = [n for n, c in startup.most_common() if c > 0 and n in defined and n not in seen]
shared = monolithic_names(work + "/static-libs")
ordered = ([n for n in first if n not in shared] + [n for n in second if n not in shared]
           + [n for n in first if n in shared] + [n for n in second if n in shared])
with open(order_path, "w") as out:
    out.write("# Generated by scripts/hot-code-order.sh (see there): the functions serve runs once it is serving,\n")
    out.write("# then the rest of its start-up after the first trim, then those of both kinds that live in a static\n")
    out.write("# library's shared .text section. One mangled symbol name a line, for lld's --symbol-ordering-file.\n")
    out.write("".join(n + "\n" for n in ordered))
window = 64 * 1024
spans = set()
for n in first:
    a, s = defined[n]
    spans.update(range(a // window, (a + max(s, 1) - 1) // window + 1))
size = sum(defined[n][1] for n in first)
print(f"{len(first)} steady-state + {len(second)} start-up functions written to {order_path} "
      f"({sum(n in shared for n in ordered)} of them in static libraries' shared sections)")
print(f"steady-state code: {size // 1024} KiB; in the profiled binary it spans {len(spans)} windows of 64 KiB "
      f"(packed: {-(-size // window)}, plus the unsplittable library sections)")
PY
