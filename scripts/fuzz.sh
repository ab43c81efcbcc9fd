#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer (swiftc -sanitize=fuzzer,address).
#   scripts/fuzz.sh TARGET [SECONDS]      TARGET: json | yaml | http | admission | all
# Builds the modules a target needs as static libraries with fuzzing instrumentation under
# .build-fuzz/, links fuzz/Fuzz<Target>.swift into a fuzzer and runs it for SECONDS (default 60)
# on a corpus under .build-fuzz/corpus/<target>. A crash leaves the input in .build-fuzz/ and exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-all}
seconds=${2:-60}
out=.build-fuzz
mkdir -p "$out/lib" "$out/corpus"
flags=(-sanitize=fuzzer,address -parse-as-library -O -swift-version 6
       -enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility
       -I "$out/lib" -I Sources/CYAML -I Sources/COpenSSL)

# swift-log comes from the package's own checkout.
logging_sources() {
    [ -d "$out/checkouts/swift-log" ] || swift package --scratch-path "$out" resolve >/dev/null
    find "$out"/checkouts/swift-log/Sources/Logging -name "*.swift"
}

build_module() {  # name, source files...
    local name=$1; shift
    local extra=(-package-name "$name")
    [ -f "$out/lib/lib$name.a" ] && [ "$out/lib/lib$name.a" -nt "$(ls -t "$@" | head -1)" ] && return
    echo "building $name" >&2
    swiftc "${flags[@]}" "${extra[@]}" -module-name "$name" -emit-module -emit-module-path "$out/lib/$name.swiftmodule" \
        -emit-library -static -o "$out/lib/lib$name.a" "$@"
}

modules_for() {
    case $1 in
        json) echo "ESJSON" ;;
        yaml) echo "ESJSON ESYAML" ;;
        http) echo "ESHTTP" ;;
        admission) echo "ESJSON ESYAML ESRegex ESAPI ESValidation ESHTTP Logging ESAdmission" ;;
    esac
}

run_target() {
    local t=$1 mods entry
    local libs=()
    mods=$(modules_for "$t")
    for m in $mods; do
        if [ "$m" = Logging ]; then build_module Logging $(logging_sources)
        else build_module "$m" Sources/"$m"/*.swift; fi
        libs=("-l$m" "${libs[@]}")  # dependents first for the static linker
    done
    entry=fuzz/Fuzz$(echo "${t:0:1}" | tr a-z A-Z)${t:1}.swift
    [ "$t" = json ] && entry=fuzz/FuzzJSON.swift
    [ "$t" = yaml ] && entry=fuzz/FuzzYAML.swift
    [ "$t" = http ] && entry=fuzz/FuzzHTTP.swift
    swiftc "${flags[@]}" "$entry" -L "$out/lib" "${libs[@]}" -lyaml -o "$out/fuzz-$t"
    mkdir -p "$out/corpus/$t"
    [ -d "fuzz/seeds/$t" ] && cp -n fuzz/seeds/"$t"/* "$out/corpus/$t/" 2>/dev/null || true
    echo "fuzzing $t for ${seconds}s" >&2
    (cd "$out" && "./fuzz-$t" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 "corpus/$t")
}

if [ "$target" = all ]; then
    for t in json yaml http admission; do run_target "$t"; done
else
    run_target "$target"
fi
