# Figure: the desktop log view (ui/LogView, LogModel) following a chatty pod that writes
# 500,000 lines at full speed, offscreen: longest event-loop stall, memory. Sourced.

figure_logview() {
    log "desktop log view: $VIEW_LINES lines at full speed (offscreen)"
    start_kubesim kubesim-view
    start_pullwatch pw-view --kubeconfig "$KUBECONFIG_FILE"
    local i out
    for i in $(seq "$RUNS"); do
        out="$WORK/logview-$i.txt"
        QT_QPA_PLATFORM=offscreen "$TOOLS/pwbench-logview" --base "$PW_URL" \
            --image "bench/viewflood-$i:1" --lines "$VIEW_LINES" --max-seconds "$VIEW_MAX_SECONDS" \
            >"$out" 2>"$out.err" \
            || die "logview: $(cat "$out" "$out.err")"
        sample view_stall_ms "$(value longest_stall_ms "$out")"
        sample view_stall_cpu_ms "$(value longest_cpu_stall_ms "$out")"
        sample view_lines_received "$(value lines_received "$out")"
        sample view_lines_per_s "$(value lines_per_second "$out")"
        sample view_rss_mid_mb "$(awk -v k="$(value rss_mid_kb "$out")" 'BEGIN {printf "%.1f\n", k / 1024}')"
        sample view_rss_end_mb "$(awk -v k="$(value rss_end_kb "$out")" 'BEGIN {printf "%.1f\n", k / 1024}')"
        sample view_rows_held "$(value rows_held "$out")"
    done
    stop_all
}
