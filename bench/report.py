#!/usr/bin/env python3
"""Writes the benchmark table (markdown) from the samples bench/run collected.

usage: report.py SAMPLES FAILED_FILE OUT.md COMMAND MODE
Each row: a figure, its reference measured in the same run, the ratio and the target.
Exit status 1 when a figure has no sample or a sample is not a number (the harness broke);
a missed target is reported in the table, not in the exit status.
"""
import datetime
import os
import statistics
import sys

VIEW_LINES = int(os.environ.get("BENCH_VIEW_LINES", "500000"))

# (figure, key, unit, reference label, reference key, target text, check, aggregate)
# check: ("ratio>=", x) value/ref >= x; ("ratio<=", x); (">=", x); ("<=", x); ("==", x);
#        ("ratio>=&>=", r, x); None (shown for information).
ROWS = [
    ("cached GET /images/pull-active, 50 active pulls, `wrk -t1 -c50`", "memory_rps", "req/s",
     "nginx, 1 worker, same bytes from a file", "nginx_rps", "≥ 0.9 × nginx", ("ratio>=", 0.9), "median"),
    ("its p99 latency", "memory_p99_ms", "ms", "nginx p99", "nginx_p99_ms", "≤ nginx's p99",
     ("ratio<=", 1.0), "median"),
    ("same with `--redis`", "redis_rps", "req/s", "in-process cache", "memory_rps",
     "≥ 0.9 × in-process", ("ratio>=", 0.9), "median"),
    ("`--redis` p99 latency", "redis_p99_ms", "ms", "in-process p99", "memory_p99_ms", "—", None, "median"),
    ("cache hit ratio, a pull changing ~every 100 ms, 8 pollers", "cache_hit_pct", "%", "—", None,
     "≥ 99 %", (">=", 99.0), "median"),
    ("answers older than the last change (all runs)", "cache_stale_answers", "answers", "—", None,
     "0", ("==", 0), "max"),
    ("idle WebSocket: server RSS per connection", "ws_pullwatch_kb_per_conn", "KB",
     "bare QWebSocketServer", "ws_bare_kb_per_conn", "≤ 1.15 × bare", ("ratio<=", 1.15), "median"),
    ("idle WebSocket: connections held (fewest of the runs)", "ws_pullwatch_held", "connections",
     "bare server", "ws_bare_held", "all held", ("==held", None), "min"),
    ("status fan-out to subscribers, p50 until the last has it", "fanout_pullwatch_p50_ms", "ms",
     "bare server broadcast", "fanout_bare_p50_ms", "—", None, "median"),
    ("status fan-out, p99 until the last has it", "fanout_pullwatch_p99_ms", "ms",
     "bare server broadcast", "fanout_bare_p99_ms", "≤ 50 ms", ("<=", 50.0), "median"),
    ("pod log throughput, one viewer (WebSocket)", "log_ws_mbps", "MB/s",
     "same client reading kubesim directly", "log_direct_mbps", "≥ 0.5 × direct and ≥ 100 MB/s",
     ("ratio>=&>=", 0.5, 100.0), "median"),
    ("pod log throughput, one viewer, against a bare QWebSocketServer sending 64 KB log frames",
     "log_ws_mbps", "MB/s", "bare server, same client", "log_bare_ws_mbps", "—", None, "median"),
    ("pod log lines, one viewer", "log_ws_lps", "lines/s", "direct", "log_direct_lps", "—", None, "median"),
    ("pod log fan-out: slowest viewer", "logfan_min_mbps", "MB/s", "single viewer", "log_ws_mbps",
     "≥ 0.8 × single viewer", ("ratio>=", 0.8), "median"),
    ("pod log fan-out: all viewers together", "logfan_total_mbps", "MB/s", "single viewer",
     "log_ws_mbps", "—", None, "median"),
    ("pod log fan-out: upstream log streams", "logfan_upstreams", "streams", "—", None, "1",
     ("==", 1), "max"),
    ("desktop log view: longest event-loop stall", "view_stall_ms", "ms", "—", None, "≤ 50 ms",
     ("<=", 50.0), "median"),
    ("desktop log view: longest stall in CPU time of the GUI thread (a busy machine adds waiting)",
     "view_stall_cpu_ms", "ms", "—", None, "—", None, "median"),
    ("desktop log view: lines received within the time limit", "view_lines_received", "lines",
     "—", None, f"all {VIEW_LINES:,}", (">=", VIEW_LINES), "min"),
    ("desktop log view: RSS at the end", "view_rss_end_mb", "MB", "RSS halfway (lines, or time when time-boxed)", "view_rss_mid_mb",
     "bounded: ≤ 1.1 × halfway", ("ratio<=", 1.1), "median"),
    ("desktop log view: lines shown per second", "view_lines_per_s", "lines/s", "—", None, "—",
     None, "median"),
    ("start-up: `pullwatch --headless` until /healthz answers", "startup_ms", "ms", "—", None,
     "≤ 300 ms", ("<=", 300.0), "median"),
    ("idle memory: headless RSS with the demo cluster", "idle_rss_mb", "MB", "—", None, "≤ 40 MB",
     ("<=", 40.0), "median"),
]


def load(path):
    samples, bad = {}, []
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            key, _, text = line.rstrip("\n").partition("\t")
            try:
                samples.setdefault(key, []).append(float(text))
            except ValueError:
                bad.append(f"{key}={text!r}")
    return samples, bad


def agg(values, how):
    return {"median": statistics.median, "min": min, "max": max}[how](values)


def fmt(v):
    if v is None:
        return "—"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.3g}"


def spread(values, how):
    if values is None:
        return "—"
    centre = fmt(agg(values, how))
    if len(values) == 1:
        return centre
    return f"{centre} ({fmt(min(values))}–{fmt(max(values))})"


def verdict(check, v, ref):
    if check is None:
        return "—"
    kind = check[0]
    ratio = v / ref if ref else None
    ok = {
        "ratio>=": lambda: ratio is not None and ratio >= check[1],
        "ratio<=": lambda: ratio is not None and ratio <= check[1],
        ">=": lambda: v >= check[1],
        "<=": lambda: v <= check[1],
        "==": lambda: v == check[1],
        "==held": lambda: ref is not None and v == ref,
        "ratio>=&>=": lambda: ratio is not None and ratio >= check[1] and v >= check[2],
    }[kind]()
    return "**pass**" if ok else "**FAIL**"


def machine():
    cores = os.cpu_count()
    model = "unknown"
    for line in open("/proc/cpuinfo", encoding="utf-8"):
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem = next((l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")), "0")
    return f"{cores} cores, {model}, {int(mem) // 1024} MB RAM, load average {os.getloadavg()[0]:.2f} at the end"


def main():
    samples_path, failed_path, out_path, command, mode = sys.argv[1:6]
    samples, bad = load(samples_path)
    failed = {}
    if os.path.exists(failed_path):
        for line in open(failed_path, encoding="utf-8"):
            name, _, why = line.rstrip("\n").partition("\t")
            failed[name] = why
    problems = list(bad)
    lines = [
        "# Pullwatch benchmark results",
        "",
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- machine: {machine()}",
        f"- command: `{command}` ({mode})",
        "- each figure: the median of the runs, (min–max) in brackets; a reference is measured",
        "  in the same run, alternating with the figure; ratio = figure / reference (medians).",
        "",
        "| figure | value | reference | reference value | ratio | target | result |",
        "|---|---|---|---|---|---|---|",
    ]
    for title, key, unit, ref_label, ref_key, target, check, how in ROWS:
        values = samples.get(key)
        refs = samples.get(ref_key) if ref_key else None
        if values is None or (ref_key and refs is None):
            why = "; ".join(f"{k}: {w}" for k, w in failed.items()) or "no sample"
            lines.append(f"| {title} | not measured: {why} | {ref_label} | — | — | {target} | **not measured** |")
            problems.append(f"no sample for {key if values is None else ref_key}")
            continue
        v = agg(values, how)
        ref = agg(refs, how) if refs else None
        ratio = f"{v / ref:.2f}" if ref else "—"
        lines.append(f"| {title} | {spread(values, how)} {unit} | {ref_label} | "
                     f"{spread(refs, how) if refs else '—'} | {ratio} | {target} | {verdict(check, v, ref)} |")
    extra = sorted(k for k in samples if k not in {r[1] for r in ROWS} | {r[4] for r in ROWS})
    if extra:
        lines += ["", "Other samples (median, min–max): " + "; ".join(
            f"`{k}` {spread(samples[k], 'median')}" for k in extra)]
    if failed:
        lines += ["", "Figures that could not run:"] + [f"- {k}: {w}" for k, w in failed.items()]
    findings = os.path.join(os.path.dirname(os.path.abspath(__file__)), "FINDINGS.md")
    if mode.startswith("full") and os.path.exists(findings):
        lines += ["", open(findings, encoding="utf-8").read().rstrip()]
    with open(out_path, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    for p in problems:
        print(f"report: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
