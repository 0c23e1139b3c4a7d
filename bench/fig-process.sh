# Figures: start-up (`pullwatch --headless` until /healthz answers) and idle memory
# (headless RSS after start with the demo cluster). Sourced.

figure_startup() {
    log "start-up: pullwatch --headless until /healthz answers ($STARTUP_RUNS starts a round)"
    local i out
    mkdir -p "$WORK/startup-home"
    for i in $(seq "$RUNS"); do
        out="$WORK/startup-$i.txt"
        HOME="$WORK/startup-home" XDG_CONFIG_HOME="$WORK/startup-home" \
            XDG_DATA_HOME="$WORK/startup-home" KUBECONFIG=/nonexistent \
            "$TOOLS/pwbench-startup" --binary "$BIN/app/pullwatch" --runs "$STARTUP_RUNS" \
            -- --log-level error >"$out" 2>"$out.err" || die "startup: $(cat "$out" "$out.err")"
        sample startup_ms "$(value startup_median_ms "$out")"
    done
}

figure_idle_memory() {
    log "idle memory: pullwatch --headless --demo, RSS ${IDLE_SETTLE}s after start"
    local i
    for i in $(seq "$RUNS"); do
        start_pullwatch pw-idle --demo
        sleep "$IDLE_SETTLE"
        sample idle_rss_mb "$(awk -v k="$(rss_kb "$PW_PID")" 'BEGIN {printf "%.1f\n", k / 1024}')"
        stop_all
    done
}
