#!/usr/bin/env bash
# Measures the admission webhook's request path in-process (no sockets, no TLS): parse the
# AdmissionReview, decode the ExternalSecret (10 data entries, a template), run upstream's rules,
# serialize the response. Builds a throw-away release package in a temp dir whose targets are
# symlinks to this repository's ESJSON/ESYAML/ESRegex/ESHTTP/ESAPI/ESValidation/ESAdmission sources.
#
# Usage: bench/admission-inprocess.sh [iterations (default 20000)]
# Needs: swift, python3; swift-log checked out in any .build*/checkouts (offline).
set -euo pipefail

ITERATIONS="${1:-20000}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

LOG_CHECKOUT="$(ls -d "$ROOT"/.build*/checkouts/swift-log 2>/dev/null | head -1)"
[ -n "$LOG_CHECKOUT" ] || { echo "no swift-log checkout under $ROOT/.build*/checkouts (run swift build once)" >&2; exit 1; }

mkdir -p "$WORK/pkg/Sources/AdmBench"
for module in CYAML ESJSON ESYAML ESRegex ESHTTP ESAPI ESValidation ESAdmission; do
    ln -s "$ROOT/Sources/$module" "$WORK/pkg/Sources/$module"
done
cat >"$WORK/pkg/Package.swift" <<SWIFT
// swift-tools-version:6.2
import PackageDescription
let s: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("MemberImportVisibility")]
let package = Package(
    name: "admbench",
    dependencies: [.package(path: "$LOG_CHECKOUT")],
    targets: [
        .systemLibrary(name: "CYAML", path: "Sources/CYAML"),
        .target(name: "ESJSON", swiftSettings: s),
        .target(name: "ESYAML", dependencies: ["CYAML", "ESJSON"], swiftSettings: s),
        .target(name: "ESRegex", swiftSettings: s),
        .target(name: "ESHTTP", swiftSettings: s),
        .target(name: "ESAPI", dependencies: ["ESJSON", "ESYAML"], swiftSettings: s),
        .target(name: "ESValidation", dependencies: ["ESAPI", "ESJSON", "ESRegex"], swiftSettings: s),
        .target(name: "ESAdmission", dependencies: ["ESAPI", "ESValidation", "ESJSON", "ESHTTP",
                                                    .product(name: "Logging", package: "swift-log")], swiftSettings: s),
        .executableTarget(name: "AdmBench", dependencies: ["ESAdmission", "ESJSON"], swiftSettings: s),
    ]
)
SWIFT
cat >"$WORK/pkg/Sources/AdmBench/main.swift" <<'SWIFT'
import ESAdmission
import ESJSON
#if canImport(Glibc)
import Glibc
#endif

let args = CommandLine.arguments
guard args.count == 3, let file = fopen(args[1], "rb"), let iterations = Int(args[2]), iterations > 0 else { exit(2) }
var body: [UInt8] = []
var chunk = [UInt8](repeating: 0, count: 65536)
while true { let n = fread(&chunk, 1, chunk.count, file); if n <= 0 { break }; body += chunk[0..<n] }
let handler = AdmissionHandler()
let path = "/validate-external-secrets-io-v1-externalsecret"
let first = handler.respond(method: "POST", path: path, contentType: "application/json", body: body)
print("response \(first.status): \(String(decoding: first.body, as: UTF8.self))")
func now() -> Double { var t = timespec(); clock_gettime(CLOCK_MONOTONIC, &t); return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9 }
var latencies: [Double] = []
latencies.reserveCapacity(iterations)
let start = now()
for _ in 0..<iterations {
    let a = now()
    let r = handler.respond(method: "POST", path: path, contentType: "application/json", body: body)
    precondition(r.status == 200)
    latencies.append((now() - a) * 1e6)
}
let elapsed = now() - start
latencies.sort()
print("request \(body.count) B, \(iterations) iterations: \(Int(Double(iterations) / elapsed)) reviews/s on one thread; " +
      "p50 \(Int(latencies[iterations / 2])) µs, p99 \(Int(latencies[iterations * 99 / 100])) µs")
SWIFT

# The same realistic request bench/admission-validation.sh posts over TLS.
sed -n '/^python3 - "\$WORK" <<.PY.$/,/^PY$/p' "$ROOT/bench/admission-validation.sh" | sed '1d;$d' >"$WORK/gen.py"
python3 "$WORK/gen.py" "$WORK"

echo "building (release)..." >&2
swift build -c release --package-path "$WORK/pkg" --product AdmBench >&2
"$WORK/pkg/.build/release/AdmBench" "$WORK/review.json" "$ITERATIONS"
