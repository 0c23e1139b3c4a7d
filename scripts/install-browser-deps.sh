#!/usr/bin/env bash
# Installs what the browser tests need: Debian's Chromium and Firefox ESR, and
# playwright-core and puppeteer-core from npm (pinned in tests/browser/package-lock.json).
# No test tool downloads a browser of its own: the tests drive /usr/bin/chromium and
# /usr/bin/firefox-esr.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
[ -x "${FIREFOX:-/usr/bin/firefox-esr}" ] || missing+=(firefox-esr)
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing for the browser tests: ${missing[*]}"
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "as root: apt-get install ${missing[*]}" >&2; exit 1; }
        sudo=sudo
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

for tool in node npm; do
    command -v "$tool" >/dev/null || { echo "the browser tests need $tool: install the Debian packages nodejs and npm (Node.js 18 or later; scripts/install-deps.sh does)" >&2; exit 1; }
done

if [ ! -f tests/browser/node_modules/playwright-core/package.json ] \
    || [ ! -f tests/browser/node_modules/puppeteer-core/package.json ] \
    || [ tests/browser/package-lock.json -nt tests/browser/node_modules/.package-lock.json ]; then
    echo "Installing playwright-core and puppeteer-core for the browser tests"
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi
