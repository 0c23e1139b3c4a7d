# Figure: scale-out. Three Pullwatch processes behind one Redis and one kubesim, each with
# SCALEOUT_SUBSCRIBERS status subscribers, against one process with the same subscribers:
# status messages delivered per second, fan-out p99, the scale-out factor, and Redis
# commands per second (INFO commandstats before and after). Sourced.

redis_calls() { # total calls of every command so far
    redis-cli -p "${REDIS_URL##*:}" info commandstats |
        awk -F'[=,:]' '/^cmdstat_/ {t += $3} END {printf "%d\n", t}'
}

# scaleout_clients NAME URL…: one pwbench-wsclients per Pullwatch at once (each making its
# own changes); sets SO_DELIVERED_PER_S (status messages the subscribers received per second
# of each client's change phase, summed over the processes), SO_P99 (the worst process's p99)
# and SO_SECONDS.
scaleout_clients() {
    local name=$1 url k=0 pids=() out; shift
    local started
    started=$(date +%s.%N)
    for url in "$@"; do
        k=$((k + 1))
        out="$WORK/scaleout-$name-$k-$i.txt"
        "$TOOLS/pwbench-wsclients" --mode fanout --url "${url/http/ws}/ws/image-pull-all" \
            --count "$SCALEOUT_SUBSCRIBERS" --changes "$FANOUT_CHANGES" --trigger "$url" \
            --run-id "so$name$k$i" >"$out" 2>"$out.err" &
        pids+=($!)
    done
    for k in "${!pids[@]}"; do
        wait "${pids[$k]}" || die "scale-out $name client $((k + 1)): $(cat "$WORK/scaleout-$name-$((k + 1))-$i.txt"*)"
    done
    SO_SECONDS=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN {print e - s}')
    SO_DELIVERED_PER_S=0; SO_P99=0
    for k in $(seq "$#"); do
        out="$WORK/scaleout-$name-$k-$i.txt"
        [ "$(value held "$out")" = "$SCALEOUT_SUBSCRIBERS" ] || die "scale-out $name: subscribers not held"
        # Every status message its subscribers received while the changes ran, per second:
        # behind one Redis each process also tells its subscribers of the others' changes.
        SO_DELIVERED_PER_S=$(awk -v t="$SO_DELIVERED_PER_S" -v m="$(value messages_received "$out")" \
            -v s="$(value change_seconds "$out")" 'BEGIN {printf "%.1f\n", t + (s > 0 ? m / s : 0)}')
        SO_P99=$(awk -v a="$SO_P99" -v b="$(value fanout_p99_ms "$out")" 'BEGIN {print (b > a) ? b : a}')
    done
}

figure_scaleout() {
    log "scale-out: 3 Pullwatch processes, one Redis, one kubesim, $SCALEOUT_SUBSCRIBERS subscribers each"
    start_kubesim kubesim-scaleout
    start_redis
    local i one three urls=() pws=() k before after
    for i in $(seq "$RUNS"); do
        start_pullwatch "pw-so-one-$i" --kubeconfig "$KUBECONFIG_FILE" --redis "$REDIS_URL"
        scaleout_clients one "$PW_URL"
        one=$SO_DELIVERED_PER_S
        sample scaleout_one_delivered_per_s "$one"
        sample scaleout_one_p99_ms "$SO_P99"
        stop_pid "$PW_PID"
        urls=(); pws=()
        for k in 1 2 3; do
            start_pullwatch "pw-so-$k-$i" --kubeconfig "$KUBECONFIG_FILE" --redis "$REDIS_URL"
            urls+=("$PW_URL"); pws+=("$PW_PID")
        done
        before=$(redis_calls)
        scaleout_clients three "${urls[@]}"
        after=$(redis_calls)
        three=$SO_DELIVERED_PER_S
        sample scaleout_three_delivered_per_s "$three"
        sample scaleout_three_p99_ms "$SO_P99"
        sample scaleout_factor "$(awk -v a="$three" -v b="$one" 'BEGIN {if (b > 0) printf "%.3f\n", a / b}')"
        sample scaleout_redis_ops_per_s "$(awk -v a="$before" -v b="$after" -v s="$SO_SECONDS" 'BEGIN {printf "%.1f\n", (b - a) / s}')"
        for k in "${pws[@]}"; do stop_pid "$k"; done
    done
    stop_all
}
