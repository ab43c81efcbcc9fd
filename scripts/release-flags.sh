#!/usr/bin/env bash
# Prints the `swift build` flags of the shipped binary (after `-c release`), the one definition that
# `make build`/`make run`, scripts/smoke-release.sh and the bench scripts use:
#
# - the Swift runtime and Foundation linked statically (only the code the server runs is mapped, instead of
#   whole shared libraries);
# - the request path's code laid out together (scripts/hot-code-order.sh explains why): every function in its
#   own section (`-function-sections`, `-ffunction-sections`), linked by lld in the order of
#   scripts/hot-code.order (names missing from the binary are skipped silently), the symbol-less private
#   functions (`.text..L*`, 50 KiB) gathered by scripts/hot-code.ld, read-only data kept in the executable
#   segment (`--no-rosegment`, so that ResidentCode's trim drops the relocations and symbol tables too),
#   every symbol bound at start-up (`-z now`: no lazy binding walking the symbol tables later) and segments
#   aligned to 64 KiB (`max-page-size`, arm64's default: the kernel then loads the binary 64 KiB-aligned, so
#   the fault-around windows coincide with the laid-out blocks; peak RSS 0.4-0.6 MiB lower and no longer
#   depending on where ASLR put the binary, at the cost of 4 of its 28 random bits).
#
# Usage: swift build -c release $(scripts/release-flags.sh) --product external-secrets
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
flags=(
    --static-swift-stdlib
    -Xswiftc -use-ld=lld
    -Xswiftc -Xfrontend -Xswiftc -function-sections
    -Xcc -ffunction-sections
    -Xlinker "--symbol-ordering-file=$root/scripts/hot-code.order"
    -Xlinker --no-warn-symbol-ordering
    -Xlinker "--script=$root/scripts/hot-code.ld"
    -Xlinker --no-rosegment
    -Xlinker -z -Xlinker now
    -Xlinker -z -Xlinker max-page-size=65536
)
echo "${flags[*]}"
