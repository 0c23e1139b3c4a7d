#!/usr/bin/env bash
# Installs the Debian 12 packages Pullwatch needs to build, run and test, if missing.
set -euo pipefail

# Every build, test and packaging dependency, named explicitly: installs run with
# --no-install-recommends, so a Recommends (libqt6opengl6-dev of qt6-base-dev, needed by
# Qt6Charts' CMake package) must be listed here or a pristine machine fails to configure.
packages=(
    # build
    build-essential cmake ninja-build pkg-config git ca-certificates
    qt6-base-dev qt6-base-dev-tools qt6-websockets-dev qt6-charts-dev libqt6opengl6-dev
    libqt6sql6-sqlite libqt6svg6 qt6-qpa-plugins
    libhiredis-dev libyaml-cpp-dev libgl-dev libjwt-dev qtkeychain-qt6-dev
    # tests: real Redis, a display for the window, kubectl against kubesim, curl
    redis-server xvfb xauth curl procps openssl python3
    # the benchmark harness (bench_smoke runs it): load generator, references, tools
    wrk nginx-light redis-tools jq
    # browser tests: Chromium and Firefox ESR (Node.js below)
    chromium firefox-esr
    # fuzzing and the sanitized suite (clang's libFuzzer and runtimes)
    clang libfuzzer-14-dev libclang-rt-14-dev
    # packaging and its checks: CPack's deb generator needs `file`; systemd-analyze verify
    # looks the unit's Documentation= man page up with man-db
    dpkg-dev file man-db groff-base systemd desktop-file-utils libxml2-utils
)
# kubectl: any installed one (the tests try every kubectl they find); else Debian's.
command -v kubectl >/dev/null || packages+=(kubernetes-client)
# Node.js and npm for the browser tests: any installed ones (18 or later), else Debian's.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install these packages as root: ${missing[*]}" >&2; exit 1; }
    sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Tests start their own redis-server on a free port; the packaged service is not needed.
if command -v systemctl >/dev/null && systemctl is-active --quiet redis-server 2>/dev/null; then
    $sudo systemctl stop redis-server || true
fi
