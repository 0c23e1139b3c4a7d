#!/bin/sh
# Configures the tree once for each value PULLWATCH_WITHOUT accepts (and for the sanitized
# suite's list), in temporary build directories: every one must configure. With --build,
# also builds each (slow: a full build per value). Usage: scripts/check-without.sh [--build]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=false
[ "${1:-}" = --build ] && build=true
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for without in kube kubesim cache pulls ws ui web security installer bench soak "ui;web;bench;installer"; do
    dir="$work/$(echo "$without" | tr ';' '-')"
    if ! cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
            -DCMAKE_CXX_COMPILER_LAUNCHER=ccache "-DPULLWATCH_WITHOUT=$without" \
            >"$dir.log" 2>&1; then
        echo "PULLWATCH_WITHOUT=$without: does not configure"; tail -20 "$dir.log"; status=1
        continue
    fi
    if $build && ! nice cmake --build "$dir" -j2 >"$dir.build.log" 2>&1; then
        echo "PULLWATCH_WITHOUT=$without: does not build"; grep -m5 -A3 'error' "$dir.build.log"
        status=1
        continue
    fi
    echo "PULLWATCH_WITHOUT=$without: ok"
done
exit $status
