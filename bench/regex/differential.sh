#!/usr/bin/env bash
# Differential test of ESRegex against Go's regexp package (needs `go`; Debian: apt-get install golang-go).
# Builds a Go oracle and a Swift oracle (a throwaway package linking Sources/ESRegex), feeds both the
# same random patterns and inputs, and prints every disagreement.
#   bench/regex/differential.sh [SEED] [COUNT]
# Known, expected differences with Go < 1.23: alternations mixing case-sensitive and (?i) branches
# (golang/go#59007, fixed in Go 1.23, which ESRegex follows); with Go < 1.22: (?<name>...) and
# Go 1.25's \p name rules (the fuzzer avoids both); code points assigned in newer Unicode versions.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
seed="${1:-1}"
count="${2:-3000}"
command -v go >/dev/null || { echo "go not found (apt-get install golang-go)"; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/go" "$work/swift/Sources/oracle"
cp "$here/go-oracle.go" "$work/go/main.go"
printf 'module oracle\ngo 1.19\n' > "$work/go/go.mod"
(cd "$work/go" && go build -o oracle .)

ln -s "$repo/Sources/ESRegex" "$work/swift/Sources/ESRegex"
cp "$here/swift-oracle.swift" "$work/swift/Sources/oracle/main.swift"
cat > "$work/swift/Package.swift" <<'SWIFT'
// swift-tools-version:6.2
import PackageDescription
let package = Package(name: "oracle", targets: [
    .target(name: "ESRegex", swiftSettings: [.enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("MemberImportVisibility")]),
    .executableTarget(name: "oracle", dependencies: ["ESRegex"]),
])
SWIFT
(cd "$work/swift" && swift build -c release --product oracle >/dev/null)

export GO_ORACLE="$work/go/oracle" SWIFT_ORACLE="$work/swift/.build/release/oracle"
export GOROOT_SRC="$(go env GOROOT)/src"
python3 "$here/differential-fuzz.py" "$seed" "$count" valid
python3 "$here/differential-fuzz.py" "$((seed + 1))" "$count" errors
python3 "$here/differential-fuzz.py" "$((seed + 2))" "$count" alt
python3 "$here/differential-unicode.py"
