#!/usr/bin/env bash
# Partitioned retention: append and read_stream on a store with 24 monthly
# partitions against the default layout (one partition), same cluster, same
# seed, same pgbench settings, in one run. Each repetition runs every script
# on both layouts back to back (the order alternating), after a checkpoint.
# Prints a markdown table of medians and the median (and range) of the
# per-repetition ratios monthly / default (the load of the shared machine
# changes between repetitions, less within one), and
# writes bench/results/partitions-<timestamp>.md.
#
# Environment (defaults in brackets): BENCH_SECONDS per run [10], BENCH_REPS
# [3], BENCH_STREAMS seeded streams of 21 events [5000], BENCH_QUICK=1 (3-second
# runs, one repetition, 1000 streams).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build}
case "$build" in /*) ;; *) build=$root/$build ;; esac
if [ -z "${PGHOST:-}" ]; then
  # shellcheck disable=SC1091
  source "$build/cluster.env"
fi
pgbench=$(/usr/lib/postgresql/15/bin/pg_config --bindir)/pgbench
seconds=${BENCH_SECONDS:-10}
reps=${BENCH_REPS:-3}
streams=${BENCH_STREAMS:-5000}
if [ "${BENCH_QUICK:-0}" = 1 ]; then seconds=3; reps=1; streams=1000; fi
cpus=$(nproc)

# Realistic payloads (as bench/append): ~300 bytes of data, ~100 of metadata.
event_type=OrderPlaced
data='{"order_id": "ord-7f3c2a91", "customer": {"id": "cust-000451", "name": "Ada Lovelace"}, "lines": [{"sku": "SKU-10023", "qty": 2, "price": 12.50}, {"sku": "SKU-20417", "qty": 1, "price": 45.00}, {"sku": "SKU-33102", "qty": 3, "price": 7.25}], "currency": "EUR", "total": 91.75, "placed_at": "2024-05-17T10:21:33Z"}'
meta='{"correlation_id": "6f1c2e7a-3b4d-4c5e-9f60-718293a4b5c6", "causation_id": "9a8b7c6d", "user": "u-42"}'

database_of() { echo "eventstore_partitions_$1"; }
layouts=(default monthly)
for layout in "${layouts[@]}"; do
  db=$(database_of "$layout")
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
  echo "partitions benchmark: seeding $streams streams x 21 events, layout $layout..." >&2
  psql -X -q -d "$db" -v layout="$layout" -v streams="$streams" -v event_type="$event_type" -v data="$data" \
    -v meta="$meta" -f "$here/setup.sql" >&2
done

run() { # script clients layout -> "tps latency_ms"
  local clients=$2 threads=$2 db
  [ "$threads" -gt "$cpus" ] && threads=$cpus
  db=$(database_of "$3")
  psql -X -q -d "$db" -c CHECKPOINT
  "$pgbench" -n -M prepared -c "$clients" -j "$threads" -T "$seconds" -f "$here/$1.sql" \
    -D nstreams="$streams" -D event_type="$event_type" -D data="$data" -D meta="$meta" "$db" 2>/dev/null |
    awk '/latency average/ {latency = $4} /^tps/ {tps = $3} END {print tps, latency}'
}

median() { sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

cases=("append 8" "append_ids 8" "read_stream 8" "read_stream 1")
declare -A tps latency ratios
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for rep in $(seq "$reps"); do
  for case_ in "${cases[@]}"; do
    read -r script clients <<<"$case_"
    order=("${layouts[@]}")
    [ $((rep % 2)) -eq 0 ] && order=(monthly default)
    for layout in "${order[@]}"; do
      read -r t l < <(run "$script" "$clients" "$layout")
      tps["$script $clients $layout"]+="$t "
      latency["$script $clients $layout"]+="$l "
      echo "rep $rep: $script, $clients clients, $layout: $t tps, $l ms" >&2
      declare "last_$layout=$t"
    done
    ratios["$script $clients"]+="$(awk -v m="$last_monthly" -v d="$last_default" 'BEGIN {print m / d}') "
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

stamp=$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$root/bench/results"
setting() { psql -X -At -d postgres -c "SHOW $1"; }
{
  echo "# Partitioned retention: 24 monthly partitions against the default layout, $stamp UTC"
  echo
  echo "pgbench -M prepared -n, ${seconds} s per run, median of $reps (layouts alternating within each repetition);"
  echo "seed: $streams streams x 21 events (one per month, ~300 B data + ~100 B metadata); PostgreSQL $(setting server_version),"
  echo "shared_buffers $(setting shared_buffers), fsync $(setting fsync), synchronous_commit $(setting synchronous_commit);"
  echo "$cpus CPUs, $(awk '/MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo) memory; load average before $load_before, after $load_after."
  echo
  echo "| script | clients | default: tps | default: ms | monthly: tps | monthly: ms | monthly / default, tps (range) |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
  for case_ in "${cases[@]}"; do
    read -r script clients <<<"$case_"
    d_tps=$(tr ' ' '\n' <<<"${tps["$script $clients default"]}" | grep . | median)
    m_tps=$(tr ' ' '\n' <<<"${tps["$script $clients monthly"]}" | grep . | median)
    d_ms=$(tr ' ' '\n' <<<"${latency["$script $clients default"]}" | grep . | median)
    m_ms=$(tr ' ' '\n' <<<"${latency["$script $clients monthly"]}" | grep . | median)
    ratio=$(tr ' ' '\n' <<<"${ratios["$script $clients"]}" | grep . | median)
    low=$(tr ' ' '\n' <<<"${ratios["$script $clients"]}" | grep . | sort -g | head -1)
    high=$(tr ' ' '\n' <<<"${ratios["$script $clients"]}" | grep . | sort -g | tail -1)
    awk -v s="$script" -v c="$clients" -v dt="$d_tps" -v dm="$d_ms" -v mt="$m_tps" -v mm="$m_ms" -v r="$ratio" \
      -v lo="$low" -v hi="$high" \
      'BEGIN {printf "| %s | %s | %.0f | %.3f | %.0f | %.3f | **%.2f** (%.2f–%.2f) |\n", s, c, dt, dm, mt, mm, r, lo, hi}'
  done
} | tee "$root/bench/results/partitions-$stamp.md"
