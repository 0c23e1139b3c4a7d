#!/usr/bin/env bash
# Installs what bench/run needs beyond the build (scripts/install-deps.sh), if missing.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
missing=()
for tool in wrk:wrk nginx:nginx-light redis-server:redis-server redis-cli:redis-tools jq:jq \
    curl:curl python3:python3; do
    command -v "${tool%%:*}" >/dev/null 2>&1 || command -v "/usr/sbin/${tool%%:*}" >/dev/null 2>&1 \
        || missing+=("${tool#*:}")
done
if ! command -v cmake >/dev/null || ! command -v ninja >/dev/null; then
    "$REPO/scripts/install-deps.sh"
fi
# QtHttpServer 6.4, a reference for the cached GET only (bench/src/qthttpserver.cpp); the
# product does not depend on it, so it is not in scripts/install-deps.sh.
dpkg -s qt6-httpserver-dev >/dev/null 2>&1 || missing+=(qt6-httpserver-dev)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "bench: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "bench: install as root: ${missing[*]}" >&2; exit 1; }
    sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# nginx and redis are started by bench/run on free loopback ports; the services are not needed.
for service in nginx redis-server; do
    if command -v systemctl >/dev/null && systemctl is-active --quiet "$service" 2>/dev/null; then
        $sudo systemctl stop "$service" || true
    fi
done
