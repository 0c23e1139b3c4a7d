# Figure: cache hit ratio of GET /images/pull-active while pulls change state about every
# 100 ms under polling, and answers older than the last change (pwbench-cachepoll). Sourced.

cache_counts() { # URL → "hits misses"
    local p='pullwatch_cache_requests_total{family="active",backend="memory",result='
    echo "$(( $(metric "$1" "${p}\"hit\"}") + $(metric "$1" "${p}\"stale_hit\"}") \
        + $(metric "$1" "${p}\"shared_hit\"}") )) $(( $(metric "$1" "${p}\"miss\"}") \
        + $(metric "$1" "${p}\"error\"}") ))"
}

figure_cache() {
    log "cache hit ratio with pulls changing every 100 ms"
    start_kubesim kubesim-cache
    start_pullwatch pw-cache --kubeconfig "$KUBECONFIG_FILE"
    local i before after out
    for i in $(seq "$RUNS"); do
        before=$(cache_counts "$PW_URL")
        out="$WORK/cachepoll-$i.txt"
        "$TOOLS/pwbench-cachepoll" --base "$PW_URL" --seconds "$POLL_SECONDS" --connections 8 \
            --interval-ms 100 >"$out" 2>"$out.err" || die "cachepoll: $(cat "$out" "$out.err")"
        after=$(cache_counts "$PW_URL")
        set -- $before $after
        local hits=$(($3 - $1)) misses=$(($4 - $2))
        [ $((hits + misses)) -gt 0 ] || die "cachepoll: no cache lookups"
        sample cache_hit_pct "$(awk -v h=$hits -v m=$misses 'BEGIN {printf "%.3f\n", 100 * h / (h + m)}')"
        sample cache_stale_answers "$(value stale_answers "$out")"
        sample cache_changes_per_s "$(value changes_per_second "$out")"
        sample cache_polls_per_s "$(value answers_per_second "$out")"
        sample cache_error_answers "$(value error_answers "$out")"
        sample cache_absent_before_feed "$(value absent_before_feed "$out")"
    done
    stop_all
}
