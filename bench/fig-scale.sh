# Cost curves (bench/run --only scale): what one unit of work costs as the amount grows.
# Each point is a sample "scale_CURVE@SIZE"; report.py tabulates the curves, fits log(cost)
# against log(size) and draws one SVG per curve. Sourced.
#   active:  GET /images/pull-active (p99, bytes, server CPU per request) and GET /pods at
#            SCALE_ACTIVE active pulls (each one Job and one pod in kubesim); Pullwatch's and
#            kubesim's RSS per active pull and CPU to take them on
#   follow:  SCALE_FOLLOW different pods, each writing 200 lines/s, each followed by one viewer
#            (pwbench-rawlog): CPU per line, RSS per stream, p99 kubelet-timestamp-to-viewer
#   fanout:  status fan-out p99 to SCALE_SUBSCRIBERS subscribers (pwbench-wsclients)
#   history: SCALE_HISTORY finished pulls, in the SQLite history and in Redis (seeded by
#            pwbench-historyseed, Pullwatch started on it with --history-limit at that size):
#            GET /images/pull-failed (first, uncached answer; then wrk on the cached one),
#            GET /images/pull-history first page and a page from the middle, RSS per entry
#            (against the same store empty), and what one more finished pull costs the store

# wrk_point URL CURVE SIZE PID: p99 and server CPU per request: a short wrk run (-c10), or, for
# an answer slower than 100 ms, three answers one after another (wrk would leave requests
# running on the server after its run, and their CPU would be counted).
wrk_point() {
    local url=$1 curve=$2 size=$3 pid=$4 out="$WORK/wrk-scale-$2-$3.txt" before after requests
    local first
    first=$(curl -sf -o /dev/null -w '%{time_total}' "$url") || die "GET $url failed"
    if awk -v t="$first" 'BEGIN {exit !(t > 0.1)}'; then
        local k slowest=0 t
        before=$(cpu_ticks "$pid")
        for k in 1 2 3; do
            t=$(curl -sf -o /dev/null -w '%{time_total}' "$url") || die "GET $url failed"
            slowest=$(awk -v a="$slowest" -v b="$t" 'BEGIN {print (b > a) ? b : a}')
        done
        after=$(cpu_ticks "$pid")
        sample "scale_${curve}_p99_ms@$size" "$(awk -v s="$slowest" 'BEGIN {printf "%.1f\n", s * 1000}')"
        sample "scale_${curve}_cpu_us@$size" "$(per_unit "$(cpu_seconds "$before" "$after")" 3 1e6)"
        return 0
    fi
    before=$(cpu_ticks "$pid")
    wrk -t1 -c10 -d"${SCALE_WRK_SECONDS}s" --latency "$url" >"$out" 2>&1 || die "wrk: $(cat "$out")"
    after=$(cpu_ticks "$pid")
    ! grep -qE 'Non-2xx|Socket errors' "$out" || die "wrk $curve@$size: $(grep -E 'Non-2xx|Socket' "$out")"
    requests=$(awk '/requests in/ {print $1}' "$out")
    sample "scale_${curve}_p99_ms@$size" "$(awk '$1 == "99%" {v = $2; u = v; gsub(/[0-9.]/, "", u);
        sub(/[a-z]+$/, "", v); f = (u == "us") ? 0.001 : (u == "s") ? 1000 : 1; printf "%.4f\n", v * f}' "$out")"
    sample "scale_${curve}_cpu_us@$size" "$(per_unit "$(cpu_seconds "$before" "$after")" "$requests" 1e6)"
}

scale_active_point() { # SIZE
    local n=$1 j names=() rss0 ksim0 cpu0 kcpu0 events0 events c0
    start_kubesim "kubesim-scale-$n"
    start_pullwatch "pw-scale-$n" --kubeconfig "$KUBECONFIG_FILE"
    sleep 1
    rss0=$(rss_kb "$PW_PID"); ksim0=$(rss_kb "$KUBESIM_PID")
    cpu0=$(cpu_ticks "$PW_PID"); kcpu0=$(cpu_ticks "$KUBESIM_PID")
    events0=$(metric "$PW_URL" 'pullwatch_cluster_watch_events_total ')
    for j in $(seq "$n"); do
        names+=("bench/hold-$n-$j:1.0")
        if [ ${#names[@]} -eq 100 ] || [ "$j" = "$n" ]; then
            start_pulls "$PW_URL" "${names[@]}" || die "POST /images/pull failed at $j of $n"
            names=()
        fi
    done
    # Waited for on the gauge, not by polling the answer: building a 10,000-pull answer ten
    # times a second would be most of the CPU measured here.
    wait_until "$SCALE_WAIT" test "$(metric "$PW_URL" 'pullwatch_pulls_active ')" = "$n" \
        || die "$n pulls did not become active ($(metric "$PW_URL" 'pullwatch_pulls_active ') counted)"
    wait_until 60 answer_stable "$PW_URL" || log "  (the answer still changes)"
    [ "$(active_count "$PW_URL")" = "$n" ] || die "GET /images/pull-active does not list $n pulls"
    sample "scale_setup_cpu_ms_per_pull@$n" "$(per_unit "$(cpu_seconds "$cpu0" "$(cpu_ticks "$PW_PID")")" "$n" 1e3)"
    # The watch events those pulls brought (Job and pod changes through their stages): the
    # setup's CPU per event is an upper bound of the informer's cost per event (it also holds
    # the POSTs and the tracker's work).
    events=$(( $(metric "$PW_URL" 'pullwatch_cluster_watch_events_total ') - events0 ))
    sample "scale_watch_events_per_pull@$n" "$(per_unit "$events" "$n" 1)"
    sample "scale_setup_cpu_us_per_watch_event@$n" "$(per_unit "$(cpu_seconds "$cpu0" "$(cpu_ticks "$PW_PID")")" "$events" 1e6)"
    sample "scale_setup_kubesim_cpu_ms_per_pull@$n" \
        "$(per_unit "$(cpu_seconds "$kcpu0" "$(cpu_ticks "$KUBESIM_PID")")" "$n" 1e3)"
    sample "scale_active_rss_kb_per_pull@$n" "$(awk -v a="$rss0" -v b="$(rss_kb "$PW_PID")" -v n="$n" 'BEGIN {printf "%.2f\n", (b - a) / n}')"
    sample "scale_kubesim_rss_kb_per_pull@$n" "$(awk -v a="$ksim0" -v b="$(rss_kb "$KUBESIM_PID")" -v n="$n" 'BEGIN {printf "%.2f\n", (b - a) / n}')"
    sample "scale_active_bytes@$n" "$(curl -sf "$PW_URL/images/pull-active" | wc -c)"
    wrk_point "$PW_URL/images/pull-active" active "$n" "$PW_PID"
    curl -sf "$PW_URL/pods?namespace=default" >"$WORK/pods-$n.json" || die "GET /pods failed"
    [ "$(jq '.data | length' "$WORK/pods-$n.json")" -ge "$n" ] || die "GET /pods lists fewer than $n pods"
    sample "scale_pods_bytes@$n" "$(wc -c <"$WORK/pods-$n.json")"
    wrk_point "$PW_URL/pods?namespace=default" pods "$n" "$PW_PID"
    # The live catalogue a log viewer opens (/ws/catalog): 5 clients one after another, each
    # until its first snapshot; the first also starts the namespace's list+watch.
    c0=$(cpu_ticks "$PW_PID")
    python3 "$BENCH_DIR/catalogprobe.py" --url "${PW_URL/http/ws}/ws/catalog?namespace=default" \
        --clients 5 --expect-pods "$n" >"$WORK/catalog-$n.txt" 2>"$WORK/catalog-$n.err" \
        || die "catalog at $n pods: $(cat "$WORK/catalog-$n.err")"
    sample "scale_catalog_ms@$n" "$(value snapshot_ms_median "$WORK/catalog-$n.txt")"
    sample "scale_catalog_first_ms@$n" "$(value snapshot_ms_max "$WORK/catalog-$n.txt")"
    sample "scale_catalog_bytes@$n" "$(value snapshot_bytes "$WORK/catalog-$n.txt")"
    sample "scale_catalog_cpu_ms@$n" "$(per_unit "$(cpu_seconds "$c0" "$(cpu_ticks "$PW_PID")")" 5 1e3)"
    stop_all
}

scale_follow_point() { # PODS
    local n=$1 j job pod before kbefore rss0 out="$WORK/scale-follow-$1.txt"
    start_kubesim "kubesim-follow-$n"
    start_pullwatch "pw-follow-$n" --kubeconfig "$KUBECONFIG_FILE"
    local names=()
    for j in $(seq "$n"); do names+=("bench/paced-$n-$j:1"); done
    : >"$WORK/follow-urls-$n"
    local ids
    for j in $(seq 0 100 $((n - 1))); do
        ids=$(printf '"%s",' "${names[@]:$j:100}")
        curl -sf -X POST -H 'Content-Type: application/json' -d "{\"names\":[${ids%,}]}" \
            "$PW_URL/images/pull" | jq -r '.data.job_ids[]' >>"$WORK/follow-jobs-$n"
    done
    while read -r job; do
        pod=$(running_pod "$job")
        echo "${PW_URL/http/ws}/ws/pod-logs?namespace=default&pod=$pod&container=push-to-harbor&timestamps=true&tailLines=1" \
            >>"$WORK/follow-urls-$n"
    done <"$WORK/follow-jobs-$n"
    rss0=$(rss_kb "$PW_PID")
    LOG_OUT=$out
    measured_run "$out" "$PW_PID $KUBESIM_PID" "$TOOLS/pwbench-rawlog" --urls "$WORK/follow-urls-$n" \
        --viewers "$n" --processes 2 --warmup "$LOG_WARMUP" --seconds "$LOG_SECONDS"
    [ "$(value viewers_connected "$out")" = "$n" ] || die "follow $n: not every viewer connected"
    local lines
    lines=$(value lines_total "$out")
    sample "scale_follow_cpu_us_per_line@$n" "$(per_unit "${WINDOW_CPU[0]}" "$lines" 1e6)"
    sample "scale_follow_kubesim_cpu_us_per_line@$n" "$(per_unit "${WINDOW_CPU[1]}" "$lines" 1e6)"
    sample "scale_follow_lines_per_s@$n" "$(value lines_per_second_total "$out")"
    sample "scale_follow_p99_ms@$n" "$(value latency_p99_ms "$out")"
    sample "scale_follow_lines_lost@$n" "$(value lines_lost "$out")"
    # RSS in the middle of the window (WINDOW_HOOK follow_rss), while every stream is open.
    sample "scale_follow_rss_kb_per_stream@$n" "$(awk -v a="$rss0" -v b="$(cat "$WORK/follow-rss")" -v n="$n" 'BEGIN {printf "%.2f\n", (b - a) / n}')"
    stop_all
}

follow_rss() { rss_kb "$PW_PID" >"$WORK/follow-rss"; }

# history_loaded URL N: Pullwatch has taken N finished pulls from its history store.
history_loaded() {
    [ "$(metric "$1" 'pullwatch_pulls_finished_total{')" = "$2" ]
}

# start_history_pullwatch STORE NAME N: kubesim and a Pullwatch on the STORE history (sqlite:
# its data directory's history.sqlite, redis: REDIS_URL) holding N pulls, loaded.
start_history_pullwatch() {
    local store=$1 name=$2 n=$3 args=()
    start_kubesim "kubesim-$name"
    [ "$store" = redis ] && args=(--redis "$REDIS_URL")
    start_pullwatch "$name" --kubeconfig "$KUBECONFIG_FILE" --history-limit "$SCALE_HISTORY_LIMIT" "${args[@]}"
    wait_until "$SCALE_WAIT" history_loaded "$PW_URL" "$n" \
        || die "$name: $n finished pulls not loaded ($(metric "$PW_URL" 'pullwatch_pulls_finished_total{') counted)"
}

# scale_history_point STORE N
scale_history_point() {
    local store=$1 n=$2 name="pw-hist-$1-$2" seed=() out="$WORK/historyseed-$1-$2.txt" mid t
    if [ "$store" = redis ]; then
        start_redis
        seed=(--redis "$REDIS_URL")
    else
        mkdir -p "$WORK/$name-data"
        seed=(--path "$WORK/$name-data/history.sqlite")
    fi
    "$TOOLS/pwbench-historyseed" --store "$store" "${seed[@]}" --count "$n" \
        --limit "$SCALE_HISTORY_LIMIT" --record "$SCALE_HISTORY_RECORDS" >"$out" 2>&1 \
        || die "historyseed $store $n: $(cat "$out")"
    sample "scale_history_${store}_record_us@$n" "$(value record_us "$out")"
    start_history_pullwatch "$store" "$name" "$n"
    sleep "$IDLE_SETTLE"
    sample "scale_history_${store}_rss_kb_per_entry@$n" \
        "$(awk -v a="${HISTORY_RSS0[$store]}" -v b="$(rss_kb "$PW_PID")" -v n="$n" 'BEGIN {printf "%.3f\n", (b - a) / n}')"
    # The first answer builds the body (the response cache is empty); then the cached one.
    t=$(curl -sf -o "$WORK/failed-$store-$n.json" -w '%{time_total}' "$PW_URL/images/pull-failed?limit=100") \
        || die "GET /images/pull-failed failed"
    [ "$(jq '.data | length' "$WORK/failed-$store-$n.json")" = "$((n / 4 < 100 ? n / 4 : 100))" ] \
        || die "GET /images/pull-failed at $n does not list the failed pulls"
    sample "scale_history_${store}_failed_first_ms@$n" "$(awk -v s="$t" 'BEGIN {printf "%.2f\n", s * 1000}')"
    wrk_point "$PW_URL/images/pull-failed?limit=100" "history_${store}_failed" "$n" "$PW_PID"
    [ "$(curl -sf "$PW_URL/images/pull-history?limit=50" | jq '.data | length')" = 50 ] \
        || die "GET /images/pull-history at $n is not a page of 50"
    wrk_point "$PW_URL/images/pull-history?limit=50" "history_${store}_page1" "$n" "$PW_PID"
    # pwbench-historyseed: pull i finished at 2026-01-01T00:00:00.900Z + i s.
    mid=$(date -u -d "@$(( $(date -u -d 2026-01-01T00:00:00Z +%s) + n / 2 ))" +%Y-%m-%dT%H:%M:%S.900Z)
    [ "$(curl -sf "$PW_URL/images/pull-history?limit=50&before=$mid" | jq '.data | length')" = 50 ] \
        || die "GET /images/pull-history?before=$mid at $n is not a page of 50"
    wrk_point "$PW_URL/images/pull-history?limit=50&before=$mid" "history_${store}_pagemid" "$n" "$PW_PID"
    stop_all
}

# HISTORY_RSS0[STORE]: Pullwatch's RSS on an empty history of that store (the base of RSS per entry).
declare -A HISTORY_RSS0
history_rss0() { # STORE
    [ "$1" = redis ] && start_redis
    mkdir -p "$WORK/pw-hist-$1-0-data"
    start_history_pullwatch "$1" "pw-hist-$1-0" 0
    sleep "$IDLE_SETTLE"
    HISTORY_RSS0[$1]=$(rss_kb "$PW_PID")
    stop_all
}

figure_scale() {
    log "cost curves: active pulls ${SCALE_ACTIVE[*]}; pods followed ${SCALE_FOLLOW[*]}; subscribers ${SCALE_SUBSCRIBERS[*]}; history ${SCALE_HISTORY[*]}"
    local n store
    for store in sqlite redis; do
        history_rss0 "$store"
        for n in "${SCALE_HISTORY[@]}"; do scale_history_point "$store" "$n"; done
    done
    for n in "${SCALE_ACTIVE[@]}"; do scale_active_point "$n"; done
    for n in "${SCALE_FOLLOW[@]}"; do WINDOW_HOOK=follow_rss scale_follow_point "$n"; done
    start_kubesim kubesim-scale-fanout
    start_pullwatch pw-scale-fanout --kubeconfig "$KUBECONFIG_FILE"
    local out i=1
    for n in "${SCALE_SUBSCRIBERS[@]}"; do
        out="$WORK/scale-fanout-$n.txt"
        "$TOOLS/pwbench-wsclients" --mode fanout --url "${PW_URL/http/ws}/ws/image-pull-all" \
            --count "$n" --changes "$FANOUT_CHANGES" --trigger "$PW_URL" --run-id "scale$n" \
            >"$out" 2>"$out.err" || die "wsclients fanout $n: $(cat "$out" "$out.err")"
        [ "$(value held "$out")" = "$n" ] || die "fanout $n: not all subscribers held"
        sample "scale_fanout_p99_ms@$n" "$(value fanout_p99_ms "$out")"
    done
    stop_all
}
