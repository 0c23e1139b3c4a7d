# Figures: cached GET /images/pull-active (50 active pulls) against nginx serving the same
# bytes, its p99 latency, and the same with --redis against the in-process cache. Sourced.

# wrk_run NAME URL SERVER_PID…: one wrk run; samples NAME_rps, NAME_p99_ms, the server's CPU per
# request (NAME_cpu_us, /proc/PID/stat around the run) and wrk's own (NAME_client_cpu_us).
wrk_run() {
    local name=$1 url=$2 out="$WORK/wrk-$1.txt" before after; shift 2
    before=$(cpu_ticks "$@")
    # `times` in the subshell: its second line is the CPU of its children, i.e. wrk's.
    ( wrk -t1 -c50 -d"${WRK_SECONDS}s" --latency "$url" >"$out" 2>&1; echo "rc=$?" >>"$out"; times >"$out.times" )
    after=$(cpu_ticks "$@")
    grep -q '^rc=0$' "$out" || die "wrk failed: $(cat "$out")"
    ! grep -qE 'Non-2xx|Socket errors' "$out" || die "wrk $name: errors: $(grep -E 'Non-2xx|Socket' "$out")"
    sample "${name}_rps" "$(awk '/^Requests\/sec:/ {print $2}' "$out")"
    # "99%  1.23ms" (us, ms or s) → milliseconds
    sample "${name}_p99_ms" "$(awk '$1 == "99%" {v = $2; u = v; gsub(/[0-9.]/, "", u); sub(/[a-z]+$/, "", v);
        f = (u == "us") ? 0.001 : (u == "s") ? 1000 : (u == "m") ? 60000 : 1; printf "%.4f\n", v * f}' "$out")"
    local requests
    requests=$(awk '/requests in/ {print $1}' "$out")
    sample "${name}_cpu_us" "$(per_unit "$(cpu_seconds "$before" "$after")" "$requests" 1e6)"
    # "0m1.234s 0m0.456s" (user, system) of the children
    sample "${name}_client_cpu_us" "$(per_unit "$(awk 'NR == 2 {gsub(/s/, ""); split($1, u, "m");
        split($2, k, "m"); printf "%.4f\n", u[1] * 60 + u[2] + k[1] * 60 + k[2]}' "$out.times")" "$requests" 1e6)"
}

answer_stable() {
    local a b
    a=$(curl -sf "$1/images/pull-active"); sleep 1; b=$(curl -sf "$1/images/pull-active")
    [ "$a" = "$b" ]
}

figure_rest() {
    log "cached GET /images/pull-active: Pullwatch (in-process, --redis) vs nginx"
    start_kubesim kubesim-rest
    start_redis
    start_pullwatch pw-memory --kubeconfig "$KUBECONFIG_FILE"
    local memory=$PW_URL memory_pid=$PW_PID
    start_pullwatch pw-redis --kubeconfig "$KUBECONFIG_FILE" --redis "$REDIS_URL"
    local redis=$PW_URL redis_pid=$PW_PID i names=()
    for i in $(seq 50); do names+=("bench/hold-$i:1.0"); done
    start_pulls "$memory" "${names[@]}"
    wait_until 30 test "$(active_count "$memory")" = 50 || die "50 pulls did not become active"
    wait_until 30 test "$(active_count "$redis")" = 50 || die "--redis: 50 pulls not listed"
    # The pulls sit in their hour-long step: wait until the answer stops changing.
    wait_until 30 answer_stable "$memory" || log "  (the answer still changes)"
    curl -sf "$memory/images/pull-active" >"$WORK/active.json"
    log "  answer: $(wc -c <"$WORK/active.json") bytes, 50 pulls"
    local port
    port=$(free_port)
    mkdir -p "$WORK/nginx-tmp"
    sed -e "s|@WORK@|$WORK|g" -e "s|@PORT@|$port|g" "$BENCH_DIR/nginx.conf.in" >"$WORK/nginx.conf"
    start_bg nginx nginx -c "$WORK/nginx.conf" -p "$WORK" -e "$WORK/nginx-error.log"
    local nginx_pid=$BENCH_PID
    wait_until 10 curl -sf "http://127.0.0.1:$port/images/pull-active" || die "nginx does not answer"
    local path
    for path in images/pull-active sendfile/images/pull-active; do
        cmp -s <(curl -sf "http://127.0.0.1:$port/$path") "$WORK/active.json" \
            || die "nginx does not serve the same bytes at /$path"
    done
    # QtHttpServer 6.4 serving the same bytes from memory: built only where the package is.
    local qths_url="" qths_pid=""
    if [ -x "$TOOLS/pwbench-qthttpserver" ]; then
        start_bg qths "$TOOLS/pwbench-qthttpserver" --file "$WORK/active.json"
        qths_pid=$BENCH_PID
        qths_url=$(wait_line "$WORK/qths.log" '^listening' | awk '{print $2}')
        cmp -s <(curl -sf "$qths_url/images/pull-active") "$WORK/active.json" \
            || die "QtHttpServer does not serve the same bytes"
    else
        log "  (no pwbench-qthttpserver: qt6-httpserver-dev was not found at build time)"
    fi
    for i in $(seq "$RUNS"); do
        wrk_run nginx "http://127.0.0.1:$port/images/pull-active" "$nginx_pid"
        wrk_run nginx_sendfile "http://127.0.0.1:$port/sendfile/images/pull-active" "$nginx_pid"
        [ -z "$qths_url" ] || wrk_run qthttpserver "$qths_url/images/pull-active" "$qths_pid"
        wrk_run memory "$memory/images/pull-active" "$memory_pid"
        wrk_run redis "$redis/images/pull-active" "$redis_pid"
    done
    sample redis_backend_up "$(metric "$redis" 'pullwatch_cache_backend_up{backend="redis"}')"
    stop_all
}
