# Helpers for bench/run: background processes (all stopped on exit), waiting, samples.
# Sourced, not run. Expects WORK (scratch directory) and SAMPLES (the samples file).

BENCH_PIDS=()

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# start_bg NAME COMMAND…: runs COMMAND in the background, output in $WORK/NAME.log;
# the pid is in BENCH_PID (and stopped by stop_all).
start_bg() {
    local name=$1; shift
    "$@" >"$WORK/$name.log" 2>&1 &
    BENCH_PID=$!
    BENCH_PIDS+=("$BENCH_PID")
    echo "$BENCH_PID" >>"$WORK/pids"
}

# stop_pid PID: TERM, then KILL after 3 s.
stop_pid() {
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 30); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

stop_all() {
    local pid
    for pid in "${BENCH_PIDS[@]}"; do stop_pid "$pid"; done
    BENCH_PIDS=()
}

# wait_line FILE REGEX [SECONDS]: prints the first line of FILE matching REGEX.
wait_line() {
    local file=$1 regex=$2 limit=${3:-20} i line
    for i in $(seq $((limit * 20))); do
        line=$(grep -m1 -E "$regex" "$file" 2>/dev/null || true)
        [ -n "$line" ] && { printf '%s\n' "$line"; return 0; }
        sleep 0.05
    done
    die "no line matching '$regex' in $file after ${limit}s: $(tail -5 "$file" 2>/dev/null)"
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# value KEY FILE: the value of a key=value line printed by a bench program.
value() { awk -F= -v k="$1" '$1 == k {print $2; exit}' "$2"; }

# sample FIGURE VALUE: one measurement of one figure.
sample() {
    [ -n "$2" ] || die "figure $1: no value"
    printf '%s\t%s\n' "$1" "$2" >>"$SAMPLES"
    log "  $1 = $2"
}

# wait_until SECONDS COMMAND…: retries COMMAND every 0.1 s until it succeeds.
wait_until() {
    local limit=$1 i; shift
    for i in $(seq $((limit * 10))); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}

# Server cost: CPU time from /proc/PID/stat (utime + stime, in clock ticks), summed over the
# given processes and their direct children (nginx's worker under its master).
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() {
    local total=0 pid child
    for pid in "$@"; do
        for child in "$pid" $(pgrep -P "$pid" 2>/dev/null || true); do
            [ -r "/proc/$child/stat" ] || continue
            # Fields after "pid (comm) ": state is the 1st, utime the 12th, stime the 13th.
            total=$((total + $(sed 's/^.*) //' "/proc/$child/stat" | awk '{print $12 + $13}')))
        done
    done
    echo "$total"
}

# cpu_seconds TICKS_BEFORE TICKS_AFTER → CPU seconds between the two readings.
cpu_seconds() { awk -v a="$1" -v b="$2" -v t="$CLK_TCK" 'BEGIN {printf "%.4f\n", (b - a) / t}'; }

# per_unit CPU_SECONDS UNITS SCALE → CPU per unit × SCALE (1e6: µs per request; with UNITS in
# GB: CPU-seconds per GB), 0 units → no value (the figure fails instead of dividing by 0).
per_unit() { awk -v c="$1" -v n="$2" -v s="$3" 'BEGIN {if (n > 0) printf "%.4f\n", c / n * s}'; }
