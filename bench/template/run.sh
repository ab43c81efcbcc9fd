#!/bin/sh
# Builds ESTemplate (release) and a small driver against its objects, then prints µs/op for typical
# ESO templates. Usage: bench/template/run.sh [scratch-path]   (default .build-bench-template)
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SCRATCH=${1:-$ROOT/.build-bench-template}
cd "$ROOT"
swift build -c release --scratch-path "$SCRATCH" --target ESTemplate >/dev/null
B="$SCRATCH/release"
OUT=$(mktemp -d)
swiftc -O -parse-as-library -o "$OUT/template-bench" bench/template/TemplateBench.swift -I "$B/Modules" \
  -I Sources/COpenSSL -I Sources/CYAML "$B"/ESTemplate.build/*.o "$B"/ESJSON.build/*.o "$B"/ESYAML.build/*.o \
  "$B"/ESRegex.build/*.o -lssl -lcrypto -lyaml
"$OUT/template-bench"
rm -rf "$OUT"
