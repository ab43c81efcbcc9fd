#!/usr/bin/env bash
# Installs what building and testing need on a fresh Debian machine; quick when all is present.
set -euo pipefail
need_apt=()
for pkg in libssl-dev libyaml-dev libcurl4-openssl-dev; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ "${1:-}" = "--test" ]; then
    for pkg in wrk nginx-light openssl curl; do
        dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
    done
fi
if [ ${#need_apt[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
if [ "${1:-}" = "--test" ]; then
    python3 -c 'import moto.server' 2>/dev/null || pip install -q 'moto[server]'
fi
