# Figures: cached GET /images/pull-active (50 active pulls) against nginx serving the same
# bytes, its p99 latency, and the same with --redis against the in-process cache. Sourced.

# wrk_run NAME URL: one wrk run; samples NAME_rps and NAME_p99_ms.
wrk_run() {
    local name=$1 url=$2 out="$WORK/wrk-$1.txt"
    wrk -t1 -c50 -d"${WRK_SECONDS}s" --latency "$url" >"$out" 2>&1 || die "wrk failed: $(cat "$out")"
    ! grep -qE 'Non-2xx|Socket errors' "$out" || die "wrk $name: errors: $(grep -E 'Non-2xx|Socket' "$out")"
    sample "${name}_rps" "$(awk '/^Requests\/sec:/ {print $2}' "$out")"
    # "99%  1.23ms" (us, ms or s) → milliseconds
    sample "${name}_p99_ms" "$(awk '$1 == "99%" {v = $2; u = v; gsub(/[0-9.]/, "", u); sub(/[a-z]+$/, "", v);
        f = (u == "us") ? 0.001 : (u == "s") ? 1000 : (u == "m") ? 60000 : 1; printf "%.4f\n", v * f}' "$out")"
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
    local memory=$PW_URL
    start_pullwatch pw-redis --kubeconfig "$KUBECONFIG_FILE" --redis "$REDIS_URL"
    local redis=$PW_URL i names=()
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
    wait_until 10 curl -sf "http://127.0.0.1:$port/images/pull-active" || die "nginx does not answer"
    cmp -s <(curl -sf "http://127.0.0.1:$port/images/pull-active") "$WORK/active.json" \
        || die "nginx does not serve the same bytes"
    for i in $(seq "$RUNS"); do
        wrk_run nginx "http://127.0.0.1:$port/images/pull-active"
        wrk_run memory "$memory/images/pull-active"
        wrk_run redis "$redis/images/pull-active"
    done
    sample redis_backend_up "$(metric "$redis" 'pullwatch_cache_backend_up{backend="redis"}')"
    stop_all
}
