# Starting the programs under test on loopback: kubesim, Pullwatch, Redis. Sourced.
# Expects BIN (build directory), WORK, SCENARIO, lib.sh.

KUBESIM_TOKEN=bench-token

# start_kubesim NAME [ARGS…]: sets KUBESIM_URL, KUBESIM_PID, KUBECONFIG_FILE.
start_kubesim() {
    local name=$1; shift
    KUBECONFIG_FILE="$WORK/$name.kubeconfig"
    start_bg "$name" "$BIN/backend/kubesim/pullwatch-kubesim" --listen 127.0.0.1:0 \
        --token "$KUBESIM_TOKEN" --write-kubeconfig "$KUBECONFIG_FILE" --scenario "$SCENARIO" "$@"
    KUBESIM_PID=$BENCH_PID
    KUBESIM_URL=$(wait_line "$WORK/$name.log" 'kubesim listening on' | grep -oE 'http://[0-9.:]+')
}

# start_pullwatch NAME ARGS…: sets PW_URL, PW_PID. Its own data and config directories.
start_pullwatch() {
    local name=$1; shift
    mkdir -p "$WORK/$name-data" "$WORK/$name-config"
    XDG_CONFIG_HOME="$WORK/$name-config" XDG_DATA_HOME="$WORK/$name-data" KUBECONFIG=/nonexistent \
        start_bg "$name" "$BIN/app/pullwatch" --headless --listen 127.0.0.1:0 \
        --data-dir "$WORK/$name-data" --log-level warning "$@"
    PW_PID=$BENCH_PID
    PW_URL=$(wait_line "$WORK/$name.log" 'Pullwatch listening on' | grep -oE 'http://[0-9.:]+')
    wait_until 10 curl -sf "$PW_URL/healthz" || die "$name: /healthz does not answer"
}

# start_redis: sets REDIS_URL.
start_redis() {
    local port
    port=$(free_port)
    start_bg redis redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
        --protected-mode yes
    REDIS_URL="redis://127.0.0.1:$port"
    wait_until 10 redis-cli -p "$port" ping || die "redis-server does not answer"
}

# start_pulls URL NAME…: POST /images/pull with the names.
start_pulls() {
    local url=$1; shift
    local body
    body=$(printf '"%s",' "$@")
    curl -sf -X POST -H 'Content-Type: application/json' \
        -d "{\"names\":[${body%,}]}" "$url/images/pull" >/dev/null
}

# active_count URL: how many pulls GET /images/pull-active lists.
active_count() { curl -sf "$1/images/pull-active" | jq '.data | length'; }

# metric URL SELECTOR: the sum of the /metrics samples whose line starts with SELECTOR.
metric() {
    curl -sf "$1/metrics" | awk -v s="$2" 'index($0, s) == 1 {t += $NF} END {printf "%d\n", t}'
}

# kube_get PATH: GET on kubesim with its token.
kube_get() { curl -sf -H "Authorization: Bearer $KUBESIM_TOKEN" "$KUBESIM_URL$1"; }

# running_pod JOB: waits for JOB's pod to run its copy container; prints the pod's name.
running_pod() {
    local job=$1 i pod
    for i in $(seq 200); do
        pod=$(kube_get "/api/v1/namespaces/default/pods?labelSelector=job-name%3D$job" |
            jq -r '.items[] | select(.status.containerStatuses[]? |
                select(.name == "push-to-harbor") | .state.running) | .metadata.name' | head -1)
        [ -n "$pod" ] && { echo "$pod"; return 0; }
        sleep 0.1
    done
    die "the pod of job $job does not run"
}
