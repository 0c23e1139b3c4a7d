# Figures: pod log throughput with one viewer (kubesim chatty pod at full speed → Pullwatch
# → one WebSocket viewer, against the same bytes read from kubesim directly and a bare
# QWebSocketServer), fan-out to many viewers of the same pod (one upstream stream): fairness
# unthrottled and at 10 MB/s, with the CPU each server spends per GB. The WebSocket viewers
# are pwbench-rawlog (raw frames, no JSON parse, two processes), so the client is not the
# limit; its own CPU is reported too. Sourced.

# measured_run OUT PIDS COMMAND…: COMMAND in the background; the CPU of each of PIDS (space
# separated) over [warmup, warmup + seconds] goes to WINDOW_CPU (an array, same order); the
# function named by WINDOW_HOOK (if any) runs in the middle of the window.
measured_run() {
    local out=$1 pids=$2 p; shift 2
    "$@" >"$out" 2>"$out.err" &
    local client=$! before=() after=()
    sleep "$LOG_WARMUP"
    for p in $pids; do before+=("$(cpu_ticks "$p")"); done
    sleep "$(awk -v s="$LOG_SECONDS" 'BEGIN {print s / 2}')"
    [ -z "${WINDOW_HOOK:-}" ] || "$WINDOW_HOOK"
    sleep "$(awk -v s="$LOG_SECONDS" 'BEGIN {print s / 2}')"
    for p in $pids; do after+=("$(cpu_ticks "$p")"); done
    wait "$client" || die "$(basename "$1"): $(cat "$out" "$out.err")"
    WINDOW_CPU=()
    for p in "${!before[@]}"; do WINDOW_CPU+=("$(cpu_seconds "${before[$p]}" "${after[$p]}")"); done
}

# raw_run NAME URL VIEWERS PIDS [ARGS…]: pwbench-rawlog; LOG_OUT is its output.
raw_run() {
    local name=$1 url=$2 viewers=$3 pids=$4; shift 4
    LOG_OUT="$WORK/log-$name-$i.txt"
    measured_run "$LOG_OUT" "$pids" "$TOOLS/pwbench-rawlog" --url "$url" --viewers "$viewers" \
        --processes "$([ "$viewers" -gt 1 ] && echo 2 || echo 1)" --warmup "$LOG_WARMUP" \
        --seconds "$LOG_SECONDS" "$@"
    [ "$(value viewers_connected "$LOG_OUT")" = "$viewers" ] \
        || die "rawlog $name: $(value viewers_connected "$LOG_OUT") of $viewers viewers connected"
}

# cpu_per_gb CPU_SECONDS → CPU-seconds per GB of the log bytes in LOG_OUT.
cpu_per_gb() { per_unit "$1" "$(awk -v b="$(value bytes_total "$LOG_OUT")" 'BEGIN {print b / 1e9}')" 1; }

# open_log_pod IMAGE: pulls IMAGE (a chatty one), waits for its pod; sets LOG_POD and LOG_WS
# (the WebSocket URL of its log, with timestamps).
open_log_pod() {
    local job pod
    job=$(curl -sf -X POST -H 'Content-Type: application/json' \
        -d "{\"names\":[\"$1\"]}" "$PW_URL/images/pull" | jq -r '.data.job_ids[0]')
    pod=$(running_pod "$job")
    LOG_POD=$pod
    LOG_WS="${PW_URL/http/ws}/ws/pod-logs?namespace=default&pod=$pod&container=push-to-harbor&timestamps=true"
}

count_log_streams() { metric "$PW_URL" 'pullwatch_ws_log_streams ' >"$WORK/log-streams"; }

figure_logs() {
    log "pod log throughput: chatty pod at full speed, direct vs through Pullwatch; fan-out"
    start_kubesim kubesim-logs
    start_pullwatch pw-logs --kubeconfig "$KUBECONFIG_FILE"
    local direct ws ws10 i streams bare bare_pid
    start_bg wsbare "$TOOLS/pwbench-wsserver"
    bare_pid=$BENCH_PID
    bare=$(wait_line "$WORK/wsbare.log" '^listening' | awk '{print $2}')
    open_log_pod bench/flood-1:1
    ws=$LOG_WS
    direct="$KUBESIM_URL/api/v1/namespaces/default/pods/$LOG_POD/log?follow=true&container=push-to-harbor&timestamps=true"
    open_log_pod bench/tenmb-1:1
    ws10="$LOG_WS&tailLines=1" # from the live end: latency without the backlog since the pull
    for i in $(seq "$RUNS"); do
        LOG_OUT="$WORK/log-direct-$i.txt"
        measured_run "$LOG_OUT" "$KUBESIM_PID" "$TOOLS/pwbench-logclient" --url "$direct" \
            --viewers 1 --warmup "$LOG_WARMUP" --seconds "$LOG_SECONDS" --token "$KUBESIM_TOKEN"
        sample log_direct_mbps "$(value mb_per_second "$LOG_OUT")"
        sample log_direct_lps "$(value lines_per_second "$LOG_OUT")"
        sample log_direct_kubesim_cpu_s_per_gb "$(per_unit "${WINDOW_CPU[0]}" \
            "$(awk -v m="$(value mb_per_second "$LOG_OUT")" -v s="$LOG_SECONDS" 'BEGIN {print m * s / 1000}')" 1)"
        # What one QWebSocket carries here: a bare server sending 64 KB log frames.
        raw_run bare "$bare" 1 "$bare_pid" --send '{"action":"flood"}'
        sample log_bare_ws_mbps "$(value mb_per_second "$LOG_OUT")"
        sample log_bare_cpu_s_per_gb "$(cpu_per_gb "${WINDOW_CPU[0]}")"
        raw_run ws1 "$ws" 1 "$PW_PID $KUBESIM_PID"
        sample log_ws_mbps "$(value mb_per_second "$LOG_OUT")"
        sample log_ws_lps "$(value lines_per_second "$LOG_OUT")"
        sample log_ws_cpu_s_per_gb "$(cpu_per_gb "${WINDOW_CPU[0]}")"
        sample log_ws_kubesim_cpu_s_per_gb "$(cpu_per_gb "${WINDOW_CPU[1]}")"
        sample log_ws_client_cpu_s_per_gb "$(cpu_per_gb "$(value client_cpu_s "$LOG_OUT")")"
    done
    for i in $(seq "$RUNS"); do
        # Unthrottled: the fairness of one stream's fan-out (slowest against median viewer).
        WINDOW_HOOK=count_log_streams raw_run wsfan "$ws" "$LOG_VIEWERS" "$PW_PID $KUBESIM_PID"
        streams=$(cat "$WORK/log-streams")
        sample logfan_min_mbps "$(value mb_per_second_min "$LOG_OUT")"
        sample logfan_median_mbps "$(value mb_per_second "$LOG_OUT")"
        sample logfan_fairness "$(awk -v a="$(value mb_per_second_min "$LOG_OUT")" \
            -v b="$(value mb_per_second "$LOG_OUT")" 'BEGIN {if (b > 0) printf "%.4f\n", a / b}')"
        sample logfan_total_mbps "$(value mb_per_second_total "$LOG_OUT")"
        sample logfan_gaps "$(value gap_messages "$LOG_OUT")"
        sample logfan_lines_lost "$(value lines_lost "$LOG_OUT")"
        sample logfan_cpu_s_per_gb "$(cpu_per_gb "${WINDOW_CPU[0]}")"
        sample logfan_client_cpu_s_per_gb "$(cpu_per_gb "$(value client_cpu_s "$LOG_OUT")")"
        sample logfan_upstreams "$streams"
        # A pod writing ~10 MB/s (100,000 lines/s) to the same number of viewers.
        raw_run wsfan10 "$ws10" "$LOG_VIEWERS" "$PW_PID $KUBESIM_PID"
        sample logfan10_min_mbps "$(value mb_per_second_min "$LOG_OUT")"
        sample logfan10_median_mbps "$(value mb_per_second "$LOG_OUT")"
        sample logfan10_lines_missed "$(value lines_missed "$LOG_OUT")"
        sample logfan10_lines_lost "$(value lines_lost "$LOG_OUT")"
        sample logfan10_duplicated "$(value lines_duplicated "$LOG_OUT")"
        sample logfan10_p99_ms "$(value latency_p99_ms "$LOG_OUT")"
        sample logfan10_cpu_s_per_gb "$(cpu_per_gb "${WINDOW_CPU[0]}")"
        sample logfan10_kubesim_cpu_s_per_gb "$(cpu_per_gb "${WINDOW_CPU[1]}")"
    done
    stop_all
}

# Figure: a merged stream (selector= and container=*) of MERGED_PODS pods × 2 containers, each
# container writing 1,000 lines/s (kubesim --log-bench: pods that only log, labelled
# app=log-bench), one viewer: lines/s, Pullwatch CPU per line, p99 kubelet timestamp to viewer,
# no line lost or duplicated.
figure_logs_merged() {
    log "merged stream: $MERGED_PODS pods × 2 containers at 1,000 lines/s each, selector= and container=*"
    start_kubesim kubesim-merged --log-bench "$MERGED_PODS,2,1000"
    start_pullwatch pw-merged --kubeconfig "$KUBECONFIG_FILE"
    local i url
    url="${PW_URL/http/ws}/ws/pod-logs?namespace=demo&selector=app%3Dlog-bench&container=*&timestamps=true&tailLines=1"
    for i in $(seq "$RUNS"); do
        raw_run merged "$url" 1 "$PW_PID $KUBESIM_PID"
        sample merged_lines_per_s "$(value lines_per_second_total "$LOG_OUT")"
        sample merged_cpu_us_per_line "$(per_unit "${WINDOW_CPU[0]}" "$(value lines_total "$LOG_OUT")" 1e6)"
        sample merged_kubesim_cpu_us_per_line "$(per_unit "${WINDOW_CPU[1]}" "$(value lines_total "$LOG_OUT")" 1e6)"
        sample merged_p99_ms "$(value latency_p99_ms "$LOG_OUT")"
        sample merged_lines_lost "$(value lines_lost "$LOG_OUT")"
        sample merged_duplicated "$(value lines_duplicated "$LOG_OUT")"
        sample merged_lines_missed "$(value lines_missed "$LOG_OUT")"
    done
    stop_all
}
