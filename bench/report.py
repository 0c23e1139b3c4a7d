#!/usr/bin/env python3
"""Writes the benchmark table (markdown) from the samples bench/run collected.

usage: report.py SAMPLES FAILED_FILE OUT.md COMMAND MODE
Each row: a figure, its reference measured in the same run, the ratio and the target.
Exit status 1 when a figure has no sample or a sample is not a number (the harness broke);
a missed target is reported in the table, not in the exit status.
"""
import datetime
import math
import os
import statistics
import sys

VIEW_LINES = int(os.environ.get("BENCH_VIEW_LINES", "500000"))

# (figure, key, unit, reference label, reference key, target text, check, aggregate[, "optional"])
# optional: a reference that exists only where its package was found (no sample: shown, not an
# error).
# check: ("ratio>=", x) value/ref >= x; ("ratio<=", x); (">=", x); ("<=", x); ("==", x);
#        ("ratio>=&>=", r, x); None (shown for information).
ROWS = [
    ("cached GET /images/pull-active, 50 active pulls, `wrk -t1 -c50`", "memory_rps", "req/s",
     "nginx, 1 worker, same bytes from a file", "nginx_rps", "≥ 0.9 × nginx", ("ratio>=", 0.9), "median"),
    ("its p99 latency", "memory_p99_ms", "ms", "nginx p99", "nginx_p99_ms", "≤ nginx's p99",
     ("ratio<=", 1.0), "median"),
    ("server CPU per cached GET (/proc/PID/stat around the wrk run)", "memory_cpu_us", "µs/request",
     "nginx worker, same bytes", "nginx_cpu_us", "—", None, "median"),
    ("nginx tuned (sendfile, tcp_nopush, open_file_cache), same bytes", "nginx_sendfile_rps", "req/s",
     "nginx defaults", "nginx_rps", "—", None, "median"),
    ("its CPU per request", "nginx_sendfile_cpu_us", "µs/request", "nginx defaults", "nginx_cpu_us",
     "—", None, "median"),
    ("cached GET against tuned nginx", "memory_rps", "req/s", "nginx tuned", "nginx_sendfile_rps",
     "≥ 1.0 × tuned nginx", ("ratio>=", 1.0), "median"),
    ("server CPU per cached GET against tuned nginx's", "memory_cpu_us", "µs/request",
     "nginx tuned", "nginx_sendfile_cpu_us", "≤ 1.0 × tuned nginx", ("ratio<=", 1.0), "median"),
    ("cached GET against QtHttpServer 6.4 serving the same bytes from memory", "memory_rps", "req/s",
     "QtHttpServer 6.4 route", "qthttpserver_rps", "—", None, "median", "optional"),
    ("server CPU per request against QtHttpServer's", "memory_cpu_us", "µs/request",
     "QtHttpServer 6.4 route", "qthttpserver_cpu_us", "—", None, "median", "optional"),
    ("load client's own CPU per request (wrk, Pullwatch run)", "memory_client_cpu_us", "µs/request",
     "wrk against nginx", "nginx_client_cpu_us", "—", None, "median"),
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
    ("server CPU per GB of log frames, one viewer", "log_ws_cpu_s_per_gb", "CPU-s/GB",
     "bare QWebSocketServer sending 64 KB frames", "log_bare_cpu_s_per_gb", "≤ 1.5 × bare",
     ("ratio<=", 1.5), "median"),
    ("kubesim's CPU per GB it serves through Pullwatch", "log_ws_kubesim_cpu_s_per_gb", "CPU-s/GB",
     "kubesim read directly", "log_direct_kubesim_cpu_s_per_gb", "—", None, "median"),
    ("load client's own CPU per GB (pwbench-rawlog)", "log_ws_client_cpu_s_per_gb", "CPU-s/GB",
     "server's", "log_ws_cpu_s_per_gb", "< server's (the client is not the limit)",
     ("ratio<=", 1.0), "median"),
    ("pod log fan-out: slowest viewer", "logfan_min_mbps", "MB/s", "single viewer", "log_ws_mbps",
     "≥ 0.8 × single viewer", ("ratio>=", 0.8), "median"),
    ("pod log fan-out: all viewers together", "logfan_total_mbps", "MB/s", "single viewer",
     "log_ws_mbps", "—", None, "median"),
    ("fairness: slowest / median viewer, unthrottled", "logfan_fairness", "×", "—", None, "≥ 0.5",
     (">=", 0.5), "median"),
    ("pod log fan-out: lines neither delivered nor reported in a gap (all runs)",
     "logfan_lines_lost", "lines", "—", None, "0", ("==", 0), "max"),
    ("pod log fan-out: server CPU per GB delivered", "logfan_cpu_s_per_gb", "CPU-s/GB",
     "one viewer", "log_ws_cpu_s_per_gb", "—", None, "median"),
    ("viewers of a pod writing ~10 MB/s: slowest viewer", "logfan10_min_mbps", "MB/s",
     "median viewer", "logfan10_median_mbps", "—", None, "median"),
    ("viewers at ~10 MB/s: lines lost (neither delivered nor in a gap; all runs)",
     "logfan10_lines_lost", "lines", "—", None, "0", ("==", 0), "max"),
    ("viewers at ~10 MB/s: lines delivered twice (all runs)", "logfan10_duplicated", "lines", "—",
     None, "0", ("==", 0), "max"),
    ("viewers at ~10 MB/s: lines reported missed in gaps (all runs)", "logfan10_lines_missed",
     "lines", "—", None, "0: every viewer gets every line", ("==", 0), "max"),
    ("viewers at ~10 MB/s: p99 kubelet timestamp to viewer", "logfan10_p99_ms", "ms", "—", None,
     "—", None, "median"),
    ("pod log fan-out: upstream log streams", "logfan_upstreams", "streams", "—", None, "1",
     ("==", 1), "max"),
    ("scale-out: status messages delivered per second, 3 processes behind one Redis",
     "scaleout_three_delivered_per_s", "messages/s", "one process, same subscribers per process",
     "scaleout_one_delivered_per_s", "—", None, "median"),
    ("scale-out factor (3 processes / 1)", "scaleout_factor", "×", "—", None, "≥ 2.5", (">=", 2.5),
     "median"),
    ("scale-out: fan-out p99 (worst of the 3 processes)", "scaleout_three_p99_ms", "ms",
     "one process", "scaleout_one_p99_ms", "—", None, "median"),
    ("scale-out: Redis commands per second (INFO commandstats)", "scaleout_redis_ops_per_s",
     "commands/s", "—", None, "—", None, "median"),
    ("merged stream (selector=, container=*): lines delivered per second", "merged_lines_per_s",
     "lines/s", "—", None, "what the pods write (1,000 lines/s each)", None, "median"),
    ("merged stream: Pullwatch CPU per line", "merged_cpu_us_per_line", "µs/line",
     "kubesim's CPU per line", "merged_kubesim_cpu_us_per_line", "—", None, "median"),
    ("merged stream: p99 kubelet timestamp to viewer", "merged_p99_ms", "ms", "—", None, "—",
     None, "median"),
    ("merged stream: lines lost (all runs)", "merged_lines_lost", "lines", "—", None, "0",
     ("==", 0), "max"),
    ("merged stream: lines duplicated (all runs)", "merged_duplicated", "lines", "—", None, "0",
     ("==", 0), "max"),
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

# Cost curves (bench/fig-scale.sh): samples "scale_NAME@SIZE". (name, title, unit)
CURVES = [
    ("scale_active_p99_ms", "GET /images/pull-active p99 (wrk -c10), by active pulls", "ms"),
    ("scale_active_bytes", "GET /images/pull-active answer size, by active pulls", "bytes"),
    ("scale_active_cpu_us", "GET /images/pull-active server CPU per request, by active pulls", "µs"),
    ("scale_active_rss_kb_per_pull", "Pullwatch RSS per active pull", "KB"),
    ("scale_kubesim_rss_kb_per_pull", "kubesim RSS per active pull (one Job, one pod)", "KB"),
    ("scale_setup_cpu_ms_per_pull", "Pullwatch CPU to start and watch a pull (informer events included), per pull", "ms"),
    ("scale_setup_kubesim_cpu_ms_per_pull", "kubesim CPU per pull (Job, pod, watch events)", "ms"),
    ("scale_watch_events_per_pull", "watch events applied per pull started (Job and pod changes), by active pulls", "events"),
    ("scale_setup_cpu_us_per_watch_event", "Pullwatch CPU per watch event while pulls start (informer, tracker and POSTs: an upper bound of the informer's), by Jobs", "µs"),
    ("scale_pods_p99_ms", "GET /pods p99 (wrk -c10), by pods", "ms"),
    ("scale_pods_bytes", "GET /pods answer size, by pods", "bytes"),
    ("scale_pods_cpu_us", "GET /pods server CPU per request, by pods", "µs"),
    ("scale_catalog_ms", "/ws/catalog: connect to first snapshot (namespace already watched), by pods", "ms"),
    ("scale_catalog_first_ms", "/ws/catalog: the first client's snapshot (starts the namespace's list+watch), by pods", "ms"),
    ("scale_catalog_bytes", "/ws/catalog snapshot size, by pods", "bytes"),
    ("scale_catalog_cpu_ms", "/ws/catalog: Pullwatch CPU per client until its snapshot, by pods", "ms"),
    ("scale_follow_cpu_us_per_line", "pods followed at 200 lines/s: Pullwatch CPU per line", "µs"),
    ("scale_follow_kubesim_cpu_us_per_line", "pods followed: kubesim CPU per line", "µs"),
    ("scale_follow_rss_kb_per_stream", "pods followed: Pullwatch RSS per stream", "KB"),
    ("scale_follow_p99_ms", "pods followed: p99 kubelet timestamp to viewer", "ms"),
    ("scale_follow_lines_per_s", "pods followed: lines delivered per second", "lines/s"),
    ("scale_follow_lines_lost", "pods followed: lines lost (neither delivered nor in a gap)", "lines"),
    ("scale_fanout_p99_ms", "status fan-out p99 until the last subscriber has it, by subscribers", "ms"),
]
# History curves (scale_history_point): the same rows for each store.
for _store, _label in (("sqlite", "SQLite history"), ("redis", "Redis history")):
    CURVES += [
        (f"scale_history_{_store}_failed_first_ms", f"{_label}: first GET /images/pull-failed?limit=100 (builds the body), by finished pulls", "ms"),
        (f"scale_history_{_store}_failed_p99_ms", f"{_label}: GET /images/pull-failed?limit=100 p99 (wrk -c10, response cache), by finished pulls", "ms"),
        (f"scale_history_{_store}_failed_cpu_us", f"{_label}: GET /images/pull-failed server CPU per request, by finished pulls", "µs"),
        (f"scale_history_{_store}_page1_p99_ms", f"{_label}: GET /images/pull-history?limit=50 (first page) p99, by finished pulls", "ms"),
        (f"scale_history_{_store}_page1_cpu_us", f"{_label}: GET /images/pull-history first page server CPU per request, by finished pulls", "µs"),
        (f"scale_history_{_store}_pagemid_p99_ms", f"{_label}: GET /images/pull-history?limit=50&before=(middle) p99, by finished pulls", "ms"),
        (f"scale_history_{_store}_pagemid_cpu_us", f"{_label}: GET /images/pull-history page from the middle, server CPU per request, by finished pulls", "µs"),
        (f"scale_history_{_store}_rss_kb_per_entry", f"{_label}: Pullwatch RSS per finished pull held (against an empty history)", "KB"),
        (f"scale_history_{_store}_record_us", f"{_label}: one more finished pull written to the store (record + flush / round trip), by pulls held", "µs"),
    ]
# Quantities that should not grow with the size (a per-unit cost, a latency) are judged by the
# slope of log(value) against log(size) all the same: ≤ 1.1 is "linear" (for a per-unit cost,
# anything above 0.1 already means the total grows faster than the size).
PER_UNIT = ("per_pull", "per_line", "per_stream", "per_entry", "per_watch_event")


def fit(points):
    """Least-squares slope of log(value) against log(size); None with fewer than 2 usable points."""
    pts = [(math.log(x), math.log(y)) for x, y in points if x > 0 and y > 0]
    if len(pts) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    sxx = sum((p[0] - mx) ** 2 for p in pts)
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / sxx if sxx else None


def shape(slope, per_unit):
    if slope is None:
        return "—"
    total = slope + 1 if per_unit else slope  # what the whole cost does as the size grows
    kind = "sub-linear" if total < 0.9 else "linear" if total <= 1.1 else "**worse than linear**"
    return f"{kind} (slope {slope:.2f}{', total ' + format(total, '.2f') if per_unit else ''})"


def svg(title, unit, points, path):
    """A small log-log line plot, no dependencies."""
    w, h, m = 480, 300, 56
    xs = [math.log10(x) for x, _ in points]
    ys = [math.log10(max(y, 1e-9)) for _, y in points]
    x0, x1 = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1
    y0, y1 = min(ys), max(ys) if max(ys) > min(ys) else min(ys) + 1
    px = lambda v: m + (v - x0) / (x1 - x0) * (w - 2 * m)
    py = lambda v: h - m - (v - y0) / (y1 - y0) * (h - 2 * m)
    pts = " ".join(f"{px(a):.1f},{py(b):.1f}" for a, b in zip(xs, ys))
    esc = lambda t: t.replace("&", "&amp;").replace("<", "&lt;")
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="11">',
             f'<rect width="{w}" height="{h}" fill="white"/>',
             f'<text x="{w / 2}" y="18" text-anchor="middle" font-size="12">{esc(title)}</text>',
             f'<line x1="{m}" y1="{h - m}" x2="{w - m}" y2="{h - m}" stroke="black"/>',
             f'<line x1="{m}" y1="{m}" x2="{m}" y2="{h - m}" stroke="black"/>',
             f'<text x="{w / 2}" y="{h - 12}" text-anchor="middle">size (log)</text>',
             f'<text x="14" y="{h / 2}" transform="rotate(-90 14 {h / 2})" text-anchor="middle">{esc(unit)} (log)</text>',
             f'<polyline points="{pts}" fill="none" stroke="#1f6fb2" stroke-width="2"/>']
    for (x, y), a, b in zip(points, xs, ys):
        parts.append(f'<circle cx="{px(a):.1f}" cy="{py(b):.1f}" r="3" fill="#1f6fb2"/>')
        parts.append(f'<text x="{px(a):.1f}" y="{h - m + 14}" text-anchor="middle">{x:,.0f}</text>')
        parts.append(f'<text x="{px(a) + 5:.1f}" y="{py(b) - 6:.1f}">{fmt(y)}</text>')
    parts.append("</svg>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(parts) + "\n")


def curves(samples, out_dir):
    """The cost-curve section: one row per curve, its points, its shape; one SVG per curve."""
    lines = [CURVES_BEGIN, "## Cost curves (`bench/run --only scale`)", "",
             "Each point: the median of its runs at that size. Shape: least-squares slope of",
             "log(value) against log(size); for a cost per unit the whole cost's slope is 1 more.",
             "≤ 1.1 linear, < 0.9 sub-linear, above 1.1 worse than linear. Plots: `bench/scale-*.svg`.",
             "", "| curve | points (size: value) | shape |", "|---|---|---|"]
    for name, title, unit in CURVES:
        points = sorted((float(k.split("@")[1]), statistics.median(v))
                        for k, v in samples.items() if k.split("@")[0] == name)
        if not points:
            continue
        slope = fit(points)
        text = "; ".join(f"{x:,.0f}: {fmt(y)}" for x, y in points)
        lines.append(f"| {title} | {text} {unit} | {shape(slope, any(t in name for t in PER_UNIT))} |")
        if len(points) >= 2:
            svg(title, unit, points, os.path.join(out_dir, f"scale-{name[len('scale_'):]}.svg"))
    lines.append(CURVES_END)
    return lines


CURVES_BEGIN = "<!-- cost curves: written by bench/report.py -->"
CURVES_END = "<!-- end of cost curves -->"


MEANINGS = [
    "- server cost: CPU time (utime + stime from /proc/PID/stat, a process and its direct",
    "  children) over the measured window, divided by what was served: µs per request for the",
    "  wrk figures, CPU-seconds per GB of log payload for the log figures; the same for the",
    "  reference, for kubesim, and for the load client itself (wrk: `times` of its subshell;",
    "  pwbench-rawlog: getrusage of its processes). A client costing more than the server is the",
    "  limit of its figure.",
    "- log viewers: pwbench-rawlog reads WebSocket frames from raw sockets in two processes",
    "  without a JSON parse; \"lost\" lines are seq numbers neither delivered nor counted in a",
    "  gap's `missed`, \"duplicated\" ones delivered twice; latency is the viewer's clock minus",
    "  the kubelet timestamp of a frame's first line (same machine, same clock).",
    "- fairness: the slowest viewer's MB/s over the median viewer's, all viewers of one",
    "  unthrottled pod.",
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
    ] + MEANINGS + [
        "",
        "| figure | value | reference | reference value | ratio | target | result |",
        "|---|---|---|---|---|---|---|",
    ]
    only = os.environ.get("BENCH_ONLY", "").split()
    for title, key, unit, ref_label, ref_key, target, check, how, *flags in ROWS:
        values = samples.get(key)
        refs = samples.get(ref_key) if ref_key else None
        if only and values is None and refs is None:
            continue  # a figure that was not asked for (--only)
        if "optional" in flags and values is not None and refs is None:
            lines.append(f"| {title} | {spread(values, how)} {unit} | {ref_label} | not built here | — | {target} | — |")
            continue
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
    curve_keys = {k for k in samples if "@" in k}
    extra = sorted(k for k in samples
                   if k not in {r[1] for r in ROWS} | {r[4] for r in ROWS} | curve_keys)
    if extra:
        lines += ["", "Other samples (median, min–max): " + "; ".join(
            f"`{k}` {spread(samples[k], 'median')}" for k in extra)]
    if curve_keys:
        lines += [""] + curves(samples, os.path.dirname(os.path.abspath(out_path)))
    if failed:
        lines += ["", "Figures that could not run:"] + [f"- {k}: {w}" for k, w in failed.items()]
    findings = os.path.join(os.path.dirname(os.path.abspath(__file__)), "FINDINGS.md")
    if mode.startswith("full") and os.path.exists(findings):
        lines += ["", open(findings, encoding="utf-8").read().rstrip()]
    if only == ["scale"] and mode.startswith("full") and os.path.exists(out_path):
        # Only the curves were measured: they replace their section of the existing results.
        old = open(out_path, encoding="utf-8").read()
        section = "\n".join(curves(samples, os.path.dirname(os.path.abspath(out_path))))
        if CURVES_BEGIN in old and CURVES_END in old:
            head, rest = old.split(CURVES_BEGIN, 1)
            old = head + section + rest.split(CURVES_END, 1)[1]
        else:
            old = old.rstrip("\n") + "\n\n" + section + "\n"
        lines = old.rstrip("\n").split("\n")
    with open(out_path, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    for p in problems:
        print(f"report: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
