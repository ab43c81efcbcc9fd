#!/usr/bin/env bash
# Release-mode timings of ESRegex (compile, linear-time matching on pathological patterns, 1 MB scans).
#   bench/regex/run-bench.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/Sources/bench"
ln -s "$repo/Sources/ESRegex" "$work/Sources/ESRegex"
cp "$here/bench-main.swift" "$work/Sources/bench/main.swift"
cat > "$work/Package.swift" <<'SWIFT'
// swift-tools-version:6.2
import PackageDescription
let package = Package(name: "bench", targets: [
    .target(name: "ESRegex", swiftSettings: [.enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("MemberImportVisibility")]),
    .executableTarget(name: "bench", dependencies: ["ESRegex"]),
])
SWIFT
(cd "$work" && swift build -c release --product bench >/dev/null && ./.build/release/bench)
