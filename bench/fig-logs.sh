# Figures: pod log throughput with one viewer (kubesim chatty pod at full speed → Pullwatch
# → one WebSocket client, against the same client reading kubesim's log stream directly),
# and fan-out to many viewers of the same pod (one upstream stream). Sourced.

log_run() { # NAME URL VIEWERS [MESSAGE] → out file in LOG_OUT
    LOG_OUT="$WORK/log-$1-$i.txt"
    "$TOOLS/pwbench-logclient" --url "$2" --viewers "$3" --warmup "$LOG_WARMUP" \
        --seconds "$LOG_SECONDS" --token "$KUBESIM_TOKEN" ${4:+--send "$4"} \
        >"$LOG_OUT" 2>"$LOG_OUT.err" \
        || die "logclient $1: $(cat "$LOG_OUT" "$LOG_OUT.err")"
}

figure_logs() {
    log "pod log throughput: chatty pod at full speed, direct vs through Pullwatch; fan-out"
    start_kubesim kubesim-logs
    start_pullwatch pw-logs --kubeconfig "$KUBECONFIG_FILE"
    local job pod direct ws i streams bare
    start_bg wsbare "$TOOLS/pwbench-wsserver"
    bare=$(wait_line "$WORK/wsbare.log" '^listening' | awk '{print $2}')
    job=$(curl -sf -X POST -H 'Content-Type: application/json' \
        -d '{"names":["bench/flood-1:1"]}' "$PW_URL/images/pull" | jq -r '.data.job_ids[0]')
    pod=$(running_pod "$job")
    direct="$KUBESIM_URL/api/v1/namespaces/default/pods/$pod/log?follow=true&container=push-to-harbor&timestamps=true"
    ws="${PW_URL/http/ws}/ws/pod-logs?namespace=default&pod=$pod&container=push-to-harbor&timestamps=true"
    for i in $(seq "$RUNS"); do
        log_run direct "$direct" 1
        sample log_direct_mbps "$(value mb_per_second "$LOG_OUT")"
        sample log_direct_lps "$(value lines_per_second "$LOG_OUT")"
        # What one QWebSocket carries here: a bare server sending 64 KB log frames.
        log_run bare "$bare" 1 '{"action":"flood"}'
        sample log_bare_ws_mbps "$(value mb_per_second "$LOG_OUT")"
        log_run ws1 "$ws" 1
        sample log_ws_mbps "$(value mb_per_second "$LOG_OUT")"
        sample log_ws_lps "$(value lines_per_second "$LOG_OUT")"
    done
    for i in $(seq "$RUNS"); do
        log_run wsfan "$ws" "$LOG_VIEWERS" &
        local client=$!
        sleep "$(awk -v w="$LOG_WARMUP" -v s="$LOG_SECONDS" 'BEGIN {print w + s / 2}')"
        streams=$(metric "$PW_URL" 'pullwatch_ws_log_streams ')
        wait "$client" || die "logclient fan-out failed"
        LOG_OUT="$WORK/log-wsfan-$i.txt"
        sample logfan_min_mbps "$(value mb_per_second_min "$LOG_OUT")"
        sample logfan_median_mbps "$(value mb_per_second "$LOG_OUT")"
        sample logfan_total_mbps "$(value mb_per_second_total "$LOG_OUT")"
        sample logfan_gaps "$(value gap_messages "$LOG_OUT")"
        sample logfan_upstreams "$streams"
    done
    stop_all
}
