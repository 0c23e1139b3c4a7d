#!/usr/bin/env bash
# Installs what the browser tests need (issue 7): Debian's Chromium and playwright-core from
# npm (pinned in tests/browser/package-lock.json). Playwright's own browser download is not
# used: the tests drive /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
    echo "Installing Debian's chromium for the browser tests"
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "install chromium as root: apt-get install chromium" >&2; exit 1; }
        sudo=sudo
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

for tool in node npm; do
    command -v "$tool" >/dev/null || { echo "the browser tests need $tool (Node.js 18 or later)" >&2; exit 1; }
done

if [ ! -f tests/browser/node_modules/playwright-core/package.json ] \
    || [ tests/browser/package-lock.json -nt tests/browser/node_modules/.package-lock.json ]; then
    echo "Installing playwright-core for the browser tests"
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi
