#!/usr/bin/env python3
"""Summaries for the append benchmark (run.sh); the standard library only.

  report.py settings  --field key=value ...              -> JSON object on stdout
  report.py summarize --output pgbench.out --logs DIR --field key=value ...
                                                         -> one JSON line per run
  report.py unstable --raw runs.jsonl --spread 0.15      -> cells to repeat
  report.py report    --raw runs.jsonl --settings settings.json --out PREFIX
                      --baseline bench/baseline/append.csv [--update-baseline]
                                                         -> PREFIX.md, PREFIX.csv, PREFIX.json

Ratios are paired: in every repetition each cell runs ours and the baseline
back to back, the ratio of that pair is taken, and the table shows the median
of those ratios (and their range), so that noise which hits one repetition
hits both sides of the ratio.
"""
import argparse
import csv
import glob
import json
import math
import os
import re
import statistics
import sys

TARGETS = [
    # (events per call, streams, clients, minimum ratio, what)
    (1, "random", 8, 0.8, "1 event per call, 8 clients, random streams: ours >= 0.8x the baseline's TPS"),
    (10, "random", 8, 0.9, "10 events per call, 8 clients, random streams: ours >= 0.9x the baseline's events/s"),
]
BASELINE_FIELDS = ["events_per_call", "streams", "clients", "side", "ratio", "ratio_min", "ratio_max", "noise",
                   "tps", "baseline_tps", "seconds", "repetitions", "recorded"]
MIN_NOISE = 0.05  # a ratio change below this is never flagged


def noise_of(ratios):
    """What a ratio moves by on its own: twice the median absolute deviation of
    the paired ratios (robust to the odd disturbed run), at least MIN_NOISE."""
    if len(ratios) < 2:
        return MIN_NOISE
    center = statistics.median(ratios)
    return max(MIN_NOISE, 2 * statistics.median(abs(r - center) for r in ratios))


def spread_of(ratios):
    """(max - min) / median of the paired ratios of one cell."""
    center = statistics.median(ratios)
    return (max(ratios) - min(ratios)) / center if center else float("inf")


def parse_value(text):
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def fields(pairs):
    out = {}
    for pair in pairs or []:
        key, _, value = pair.partition("=")
        out[key] = parse_value(value)
    return out


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(p / 100.0 * len(sorted_values)))
    return sorted_values[rank - 1]


def summarize(args):
    run = fields(args.field)
    text = open(args.output).read()

    def grab(pattern, kind=float):
        match = re.search(pattern, text, re.M)
        return kind(match.group(1)) if match else None

    run["tps"] = grab(r"^tps = ([0-9.]+) \(without initial connection time\)")
    run["transactions"] = grab(r"^number of transactions actually processed: (\d+)", int)
    run["failed"] = grab(r"^number of failed transactions: (\d+)", int) or 0
    run["latency_avg_ms"] = grab(r"^latency average = ([0-9.]+) ms")
    run["connect_ms"] = grab(r"^initial connection time = ([0-9.]+) ms")
    latencies = []
    failed_in_log = 0
    for path in glob.glob(os.path.join(args.logs, "*")):
        with open(path) as log:
            for line in log:
                parts = line.split()
                if len(parts) < 3:
                    continue
                try:
                    latencies.append(int(parts[2]))
                except ValueError:  # "failed", "skipped"
                    failed_in_log += 1
    latencies.sort()
    run["logged"] = len(latencies)
    run["failed_in_log"] = failed_in_log
    run["p50_ms"] = percentile(latencies, 50) / 1000.0
    run["p95_ms"] = percentile(latencies, 95) / 1000.0
    run["p99_ms"] = percentile(latencies, 99) / 1000.0
    run["events_per_s"] = run["tps"] * run["events_per_call"]
    events = (run["transactions"] or 0) * run["events_per_call"]
    run["wal_bytes_per_event"] = run["wal_bytes"] / events if events else float("nan")
    print(json.dumps(run))


def median(values):
    values = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    return statistics.median(values) if values else float("nan")


def cell_key(run):
    return (int(run["events_per_call"]), str(run["streams"]), int(run["clients"]))


def cell_sort_key(key):
    return (key[0], {"random": 0, "hot": 1}.get(key[1], 2), key[1], key[2])


def build_summary(runs):
    sides = []
    for run in runs:
        if run["side"] not in sides:
            sides.append(run["side"])
    by = {}
    for run in runs:
        by.setdefault((cell_key(run), run["side"]), []).append(run)
    cells = sorted({cell_key(r) for r in runs}, key=cell_sort_key)
    summary = []
    for cell in cells:
        base_runs = {r["rep"]: r for r in by.get((cell, "baseline"), [])}
        for side in sides:
            mine = by.get((cell, side), [])
            if not mine:
                continue
            row = {"events_per_call": cell[0], "streams": cell[1], "clients": cell[2], "side": side,
                   "repetitions": len(mine)}
            for metric in ("tps", "events_per_s", "p50_ms", "p99_ms", "wal_bytes_per_event"):
                row[metric] = median([r[metric] for r in mine])
            if side != "baseline":
                ratios = [r["tps"] / base_runs[r["rep"]]["tps"] for r in mine if r["rep"] in base_runs]
                row["ratio"] = median(ratios)
                row["ratio_min"] = min(ratios) if ratios else float("nan")
                row["ratio_max"] = max(ratios) if ratios else float("nan")
                row["ratios"] = ratios
                row["noise"] = noise_of(ratios) if ratios else float("nan")
            summary.append(row)
    return summary


def fmt(value, digits=0):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:,.{digits}f}"


def load_baseline(path):
    if not path or not os.path.exists(path):
        return {}
    with open(path) as f:
        rows = [r for r in csv.DictReader(line for line in f if not line.startswith("#"))]
    return {(int(r["events_per_call"]), r["streams"], int(r["clients"]), r["side"]): r for r in rows}


def markdown(settings, summary, baseline, baseline_path, runs=()):
    lines = [f"# Append benchmark, {settings.get('timestamp_utc', '')} UTC", ""]
    lines += ["Ours = `eventstore.append` (expected version -2 = any: existing streams, no conflicts; "
              "this measures the write path, not contention). Baseline = plain `INSERT` of the same rows into "
              "`baseline.events`, same columns, collations and indexes, no concurrency check. "
              f"Medians of {settings.get('repetitions')} run(s) per side (n: more where a cell's ratios spread and it was "
              "repeated); ratio = median over repetitions of "
              "ours/baseline TPS in the same repetition (for a given events/call, the TPS ratio is the "
              "events/s ratio).", ""]
    libraries = sorted({str(r.get("library_md5")) for r in runs if r.get("library_md5")})
    if len(libraries) > 1:
        lines += [f"**Warning: the extension library changed during the benchmark ({', '.join(libraries)}): "
                  "runs measured different code; do not compare them.**", ""]
    lines += ["| setting | value |", "| --- | --- |"]
    for key, value in settings.items():
        lines.append(f"| {key} | {value} |")
    lines.append("")

    base = {(r["events_per_call"], r["streams"], r["clients"]): r for r in summary if r["side"] == "baseline"}
    lines += ["| events/call | streams | clients | side | n | TPS | events/s | p50 ms | p99 ms | "
              "baseline TPS | baseline events/s | baseline p50 ms | baseline p99 ms | ratio | ratio range | "
              "WAL B/event¹ (side / baseline) |",
              "| ---: | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for row in summary:
        if row["side"] == "baseline":
            continue
        b = base.get((row["events_per_call"], row["streams"], row["clients"]), {})
        lines.append(
            f"| {row['events_per_call']} | {row['streams']} | {row['clients']} | {row['side']} | {row['repetitions']} | "
            f"{fmt(row['tps'])} | "
            f"{fmt(row['events_per_s'])} | {fmt(row['p50_ms'], 2)} | {fmt(row['p99_ms'], 2)} | "
            f"{fmt(b.get('tps'))} | {fmt(b.get('events_per_s'))} | {fmt(b.get('p50_ms'), 2)} | "
            f"{fmt(b.get('p99_ms'), 2)} | **{fmt(row['ratio'], 2)}** | "
            f"{fmt(row['ratio_min'], 2)}–{fmt(row['ratio_max'], 2)} | "
            f"{fmt(row['wal_bytes_per_event'])} / {fmt(b.get('wal_bytes_per_event'))} |")
    lines += ["", "¹ WAL the whole cluster wrote during the run divided by the events written (median): on a "
              "shared server it includes other sessions' WAL.", ""]

    lines += ["Targets:", ""]
    for batch, streams, clients, minimum, what in TARGETS:
        row = next((r for r in summary if r["side"] == "ours" and r["events_per_call"] == batch
                    and r["streams"] == streams and r["clients"] == clients), None)
        if row is None:
            lines.append(f"- {what}: not measured in this run")
        else:
            verdict = "reached" if row["ratio"] >= minimum else "MISSED"
            lines.append(f"- {what}: {fmt(row['ratio'], 2)} ({fmt(row['ratio_min'], 2)}–"
                         f"{fmt(row['ratio_max'], 2)}): **{verdict}**")
    lines.append("")

    if baseline:
        lines += [f"Against the committed baseline ({os.path.relpath(baseline_path)}; flagged when the change "
                  f"exceeds its noise: twice the median absolute deviation of the baseline's paired ratios, at least "
                  f"{MIN_NOISE}):", "",
                  "| events/call | streams | clients | side | baseline ratio | now | change | verdict |",
                  "| ---: | --- | ---: | --- | ---: | ---: | ---: | --- |"]
        for row in summary:
            if row["side"] == "baseline":
                continue
            old = baseline.get((row["events_per_call"], row["streams"], row["clients"], row["side"]))
            if old is None:
                continue
            old_ratio = float(old["ratio"])
            noise = max(MIN_NOISE, float(old.get("noise") or MIN_NOISE))
            change = row["ratio"] - old_ratio
            verdict = "same (within noise)"
            if change < -noise:
                verdict = "**REGRESSION**"
            elif change > noise:
                verdict = "improvement"
            lines.append(f"| {row['events_per_call']} | {row['streams']} | {row['clients']} | {row['side']} | "
                         f"{old_ratio:.2f} | {row['ratio']:.2f} | {change:+.2f} | {verdict} |")
        lines.append("")
    else:
        lines += [f"No committed baseline at {baseline_path}; BENCH_UPDATE_BASELINE=1 writes one.", ""]
    return "\n".join(lines)


def unstable(args):
    """Cells whose paired ratios spread more than --spread: run.sh repeats them."""
    runs = [json.loads(line) for line in open(args.raw) if line.strip()]
    cells = []
    for row in build_summary(runs):
        cell = (row["events_per_call"], row["streams"], row["clients"])
        if row["side"] != "baseline" and row.get("ratios") and spread_of(row["ratios"]) > args.spread \
                and cell not in cells:
            cells.append(cell)
    for cell in cells:
        print(*cell)


def report(args):
    settings = json.load(open(args.settings))
    runs = [json.loads(line) for line in open(args.raw) if line.strip()]
    if not runs:
        sys.exit("no runs")
    summary = build_summary(runs)
    baseline = load_baseline(args.baseline)
    text = markdown(settings, summary, baseline, args.baseline, runs)
    print(text)
    with open(args.out + ".md", "w") as f:
        f.write(text)
    keys = []
    for run in runs:
        keys += [k for k in run if k not in keys]
    with open(args.out + ".csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=keys)
        writer.writeheader()
        writer.writerows(runs)
    with open(args.out + ".json", "w") as f:
        json.dump({"settings": settings, "summary": summary, "runs": runs}, f, indent=1)
    print(f"written: {args.out}.md, {args.out}.csv (raw runs), {args.out}.json", file=sys.stderr)

    if args.update_baseline:
        base = {(r["events_per_call"], r["streams"], r["clients"]): r for r in summary if r["side"] == "baseline"}
        with open(args.baseline, "w", newline="") as f:
            f.write("# Append benchmark medians for regression comparison (bench/append/run.sh, "
                    "BENCH_UPDATE_BASELINE=1); ratio = ours/baseline TPS, paired per repetition.\n")
            f.write(f"# {settings.get('server_version')}, shared_buffers {settings.get('shared_buffers')}, "
                    f"fsync {settings.get('fsync')}, synchronous_commit {settings.get('synchronous_commit')}, "
                    f"nproc {settings.get('nproc')}, memory {settings.get('memory')}, commit {settings.get('commit')}\n")
            writer = csv.DictWriter(f, fieldnames=BASELINE_FIELDS, extrasaction="ignore")
            writer.writeheader()
            for row in summary:
                if row["side"] == "baseline":
                    continue
                b = base.get((row["events_per_call"], row["streams"], row["clients"]), {})
                writer.writerow({**row, "ratio": f"{row['ratio']:.3f}", "ratio_min": f"{row['ratio_min']:.3f}",
                                 "ratio_max": f"{row['ratio_max']:.3f}", "noise": f"{row['noise']:.3f}",
                                 "tps": f"{row['tps']:.0f}",
                                 "baseline_tps": f"{b.get('tps', float('nan')):.0f}",
                                 "seconds": settings.get("duration_s"), "recorded": settings.get("timestamp_utc")})
        print(f"baseline updated: {args.baseline}", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("settings")
    p.add_argument("--field", action="append")
    p = sub.add_parser("summarize")
    p.add_argument("--output", required=True)
    p.add_argument("--logs", required=True)
    p.add_argument("--field", action="append")
    p = sub.add_parser("unstable")
    p.add_argument("--raw", required=True)
    p.add_argument("--spread", type=float, default=0.15)
    p = sub.add_parser("report")
    p.add_argument("--raw", required=True)
    p.add_argument("--settings", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--baseline")
    p.add_argument("--update-baseline", action="store_true")
    args = parser.parse_args()
    if args.command == "settings":
        print(json.dumps(dict(pair.partition("=")[::2] for pair in args.field or []), indent=2))
    elif args.command == "summarize":
        summarize(args)
    elif args.command == "unstable":
        unstable(args)
    else:
        report(args)


if __name__ == "__main__":
    main()
