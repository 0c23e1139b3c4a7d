# Figures: idle WebSocket connections (RSS per connection against a bare QWebSocketServer,
# all held) and status fan-out (one change to many subscribers, time until the last has it,
# against the bare server broadcasting). Sourced.

ws_idle_run() { # NAME URL PID → samples NAME_kb_per_conn and NAME_held
    local name=$1 out="$WORK/wsidle-$1-$i.txt"
    "$TOOLS/pwbench-wsclients" --mode idle --url "$2" --count "$WS_IDLE" --concurrency 200 \
        --server-pid "$3" >"$out" 2>"$out.err" || die "wsclients $name: $(cat "$out" "$out.err")"
    sample "${name}_kb_per_conn" "$(value rss_per_connection_kb "$out")"
    sample "${name}_held" "$(value held "$out")"
}

figure_ws_idle() {
    log "idle WebSocket connections: $WS_IDLE on /ws/image-pull-all vs a bare QWebSocketServer"
    local i url
    for i in $(seq "$RUNS"); do
        # Fresh servers each run: the allocator keeps memory after disconnects.
        start_pullwatch pw-wsidle --demo
        sleep 1
        ws_idle_run ws_pullwatch "${PW_URL/http/ws}/ws/image-pull-all" "$PW_PID"
        stop_all
        start_bg wsbare "$TOOLS/pwbench-wsserver"
        url=$(wait_line "$WORK/wsbare.log" '^listening' | awk '{print $2}')
        ws_idle_run ws_bare "$url" "$BENCH_PID"
        stop_all
    done
}

ws_fanout_run() { # NAME URL TRIGGER
    local name=$1 out="$WORK/fanout-$1-$i.txt"
    "$TOOLS/pwbench-wsclients" --mode fanout --url "$2" --count "$FANOUT_CLIENTS" \
        --changes "$FANOUT_CHANGES" --trigger "$3" --run-id "$i" >"$out" 2>"$out.err" \
        || die "wsclients fanout $name: $(cat "$out" "$out.err")"
    [ "$(value held "$out")" = "$FANOUT_CLIENTS" ] || die "fanout $name: not all subscribers held"
    sample "${name}_p50_ms" "$(value fanout_p50_ms "$out")"
    sample "${name}_p99_ms" "$(value fanout_p99_ms "$out")"
    sample "${name}_missed" "$(value missed_changes "$out")"
}

figure_ws_fanout() {
    log "status fan-out: one change to $FANOUT_CLIENTS subscribers, $FANOUT_CHANGES changes"
    start_kubesim kubesim-fanout
    start_pullwatch pw-fanout --kubeconfig "$KUBECONFIG_FILE"
    local pw=$PW_URL i bare
    start_bg wsbare "$TOOLS/pwbench-wsserver"
    bare=$(wait_line "$WORK/wsbare.log" '^listening' | awk '{print $2}')
    for i in $(seq "$RUNS"); do
        ws_fanout_run fanout_pullwatch "${pw/http/ws}/ws/image-pull-all" "$pw"
        ws_fanout_run fanout_bare "$bare" ws
    done
    stop_all
}
