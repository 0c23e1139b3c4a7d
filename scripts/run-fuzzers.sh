#!/usr/bin/env bash
# Runs every libFuzzer target of a PULLWATCH_FUZZ build for FUZZ_SECONDS each, from its
# checked-in seed corpus (tests/fuzz/corpus/<target>, copied: new inputs stay in the build
# directory) with its dictionary. A crash, sanitizer report or leak fails the run; the input
# that caused it is kept in <build>/fuzz-artifacts/<target>/ and printed.
# Usage: scripts/run-fuzzers.sh BUILD_DIR [SECONDS]
set -euo pipefail
build=${1:?build directory}
seconds=${2:-${FUZZ_SECONDS:-60}}
source_dir=$(cd "$(dirname "$0")/.." && pwd)
fuzz_dir=$source_dir/tests/fuzz
failed=()
count=0
for corpus in "$fuzz_dir"/corpus/*/; do
    target=$(basename "$corpus")
    binary=$build/tests/fuzz/$target
    [[ -x $binary ]] || { echo "missing fuzz target $binary" >&2; exit 1; }
    work=$build/fuzz-corpus/$target
    artifacts=$build/fuzz-artifacts/$target
    mkdir -p "$work" "$artifacts"
    dict=()
    [[ -f $fuzz_dir/$target.dict ]] && dict=(-dict="$fuzz_dir/$target.dict")
    echo "=== $target: ${seconds}s"
    if nice "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 \
            -max_len=8192 -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" \
            "$work" "$corpus" >"$build/fuzz-$target.log" 2>&1; then
        grep -E '^stat::number_of_executed_units|^Done' "$build/fuzz-$target.log" || true
    else
        tail -40 "$build/fuzz-$target.log"
        ls -l "$artifacts"
        failed+=("$target")
    fi
    count=$((count + 1))
done
echo "=== $count fuzz targets run, ${#failed[@]} failed ${failed[*]:-}"
[[ ${#failed[@]} -eq 0 ]]
