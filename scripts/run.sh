#!/usr/bin/env bash
# Starts Pullwatch on its embedded default: the simulated cluster, in-process cache; the
# window where a display exists, headless otherwise.
set -euo pipefail
binary="${1:-build/app/pullwatch}"
shift || true
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    exec "$binary" --demo "$@"
fi
exec "$binary" --demo --headless "$@"
