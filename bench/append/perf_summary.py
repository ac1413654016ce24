#!/usr/bin/env python3
"""CPU per transaction by function, from the perf.data files profile.sh records.

  perf_summary.py --hz 999 SIDE=perf.data:TRANSACTIONS[:PID,PID...] [...]  -> markdown on stdout

Inclusive samples (the function and what it calls) of the given processes (the
run's backends and this cluster's WAL writer, checkpointer and background
writer; all processes named postgres when no pids are given),
converted to microseconds of CPU per transaction: samples / hz / transactions.
perf samples every CPU at `hz`, so a sample stands for 1/hz s of one CPU.

Caveat: PostgreSQL is built with frame pointers, the extension (C++, PGXS
CXXFLAGS) without, so a call chain that passes through an extension function
is cut there: a PostgreSQL function called by the extension and the extension
function that calls it directly are counted right; callers above that (append,
append_to_stream) are undercounted, and they are not listed.
"""
import re
import subprocess
import sys

# (label, symbol as perf prints it); inclusive time.
FUNCTIONS = [
    ("backend main loop (PostgresMain)", "PostgresMain"),
    ("commit (CommitTransactionCommand)", "CommitTransactionCommand"),
    ("  WAL flush (XLogFlush)", "XLogFlush"),
    ("bind: parameter input (OidInputFunctionCall)", "OidInputFunctionCall"),
    ("  jsonb_in", "jsonb_in"),
    ("plan cache (GetCachedPlan)", "GetCachedPlan"),
    ("executor start (PortalStart)", "PortalStart"),
    ("  ExecInitFunctionScan", "ExecInitFunctionScan"),
    ("executor run (PortalRun)", "PortalRun"),
    ("  ExecMakeTableFunctionResult", "ExecMakeTableFunctionResult"),
    ("stream lookup by name (extension index_lookup)", "eventstore::pg::(anonymous namespace)::index_lookup"),
    ("  HOT pruning (heap_page_prune_opt)", "heap_page_prune_opt"),
    ("stream row lock (extension lock_found_row)", "eventstore::pg::(anonymous namespace)::lock_found_row"),
    ("  heap_lock_tuple", "heap_lock_tuple"),
    ("stream row update (heap_update)", "heap_update"),
    ("event-id probe (extension find_event_by_id)", "eventstore::pg::find_event_by_id"),
    ("open/close tables and indexes: ExecOpenIndices", "ExecOpenIndices"),
    ("  ExecCloseIndices", "ExecCloseIndices"),
    ("  relation_open", "relation_open"),
    ("  table_slot_create", "table_slot_create"),
    ("heap insert (heap_insert)", "heap_insert"),
    ("heap insert (heap_multi_insert)", "heap_multi_insert"),
    ("index entries (ExecInsertIndexTuples)", "ExecInsertIndexTuples"),
    ("  _bt_doinsert", "_bt_doinsert"),
    ("sequence (nextval_internal)", "nextval_internal"),
    ("event id (extension new_event_id)", "eventstore::pg::new_event_id"),
    ("WAL insert (XLogInsertRecord)", "XLogInsertRecord"),
    ("heavyweight locks (LockAcquireExtended)", "LockAcquireExtended"),
    ("snapshots (GetSnapshotData)", "GetSnapshotData"),
]

LINE = re.compile(r"^\s+([\d.]+)%\s+([\d.]+)%\s+\[(.)\]\s+(.*?)\s*(?:-\s+-\s*)?$")


def perf_report(path, *args):
    return subprocess.run(["perf", "report", "-i", path, "--stdio", "-g", "none", "--percentage", "absolute", *args],
                          capture_output=True, text=True, check=True).stdout


def selection(pids):
    return ["--pid", pids] if pids else ["--comm", "postgres"]


def total_samples(path, pids):
    def count(*args):
        out = perf_report(path, "--no-children", "--sort", "comm", "-n", *args)
        total = 0
        for line in out.splitlines():
            m = re.match(r"^\s+[\d.]+%\s+(\d+)\s+(\S.*?)\s*$", line)
            if m:
                total += int(m.group(1))
        return total
    return count(), count(*selection(pids))


def inclusive(path, pids):
    out = perf_report(path, *selection(pids), "--children", "--sort", "symbol")
    pct = {}
    for line in out.splitlines():
        m = LINE.match(line)
        if m:
            name = m.group(4).strip()
            pct[name] = pct.get(name, 0.0) + float(m.group(1))
    return pct


def main():
    args = sys.argv[1:]
    hz = 999.0
    if args[:1] == ["--hz"]:
        hz = float(args[1])
        args = args[2:]
    sides = []
    for spec in args:
        side, _, rest = spec.partition("=")
        path, transactions, pids = (rest.split(":") + [""])[:3]
        total, selected = total_samples(path, pids)
        sides.append((side, int(transactions), total, selected, inclusive(path, pids)))

    def us(samples, transactions):
        return samples / hz / transactions * 1e6

    header = "| function (inclusive) | " + " | ".join(f"{s[0]} µs/tx" for s in sides) + " |"
    lines = [header, "| --- |" + " ---: |" * len(sides)]
    lines.append("| all sampled processes (backends, WAL writer, checkpointer, bgwriter) | " + " | ".join(f"{us(s[3], s[1]):.1f}" for s in sides) + " |")
    for label, symbol in FUNCTIONS:
        cells = []
        for side, transactions, total, postgres, pct in sides:
            value = pct.get(symbol)
            cells.append("–" if value is None else f"{us(value / 100.0 * total, transactions):.1f}")
        if all(c == "–" for c in cells):
            continue
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("transactions sampled: " + ", ".join(f"{s[0]} {s[1]}" for s in sides))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
