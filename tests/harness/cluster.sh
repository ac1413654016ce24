#!/usr/bin/env bash
# The project's own PostgreSQL 15 cluster: created under the build tree, run by
# the postgres OS user when we are root (PostgreSQL refuses root), on a free
# loopback port. With EVENTSTORE_DSN set, that server is used instead and no
# cluster is started.
#
#   cluster.sh start     create if needed, start if stopped; writes build/cluster/env
#   cluster.sh stop
#   cluster.sh env       print the environment (PGHOST, PGPORT, PGUSER, EVENTSTORE_BASE_DSN)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
case "$build" in /*) ;; *) build=$root/$build ;; esac
cluster=$build/cluster
pg_bin=$(/usr/lib/postgresql/15/bin/pg_config --bindir)

as_cluster_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_is_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The cluster lives in build/cluster when the postgres user can reach it, else in a
# temporary folder of its own that build/cluster links to.
prepare_directory() {
  mkdir -p "$build"
  [ -e "$cluster" ] && return
  if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$build"; then
    local elsewhere
    elsewhere=$(mktemp -d /tmp/pg_eventstore-cluster.XXXXXX)
    chown postgres: "$elsewhere"
    ln -s "$elsewhere" "$cluster"
  else
    mkdir -p "$cluster"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$cluster"
  fi
}

write_env() {
  local host=$1 port=$2 user=$3
  cat >"$build/cluster.env" <<EOF
export PGHOST=$host
export PGPORT=$port
export PGUSER=$user
export EVENTSTORE_BASE_DSN="host=$host port=$port user=$user"
export EVENTSTORE_SERVER_LOG="${4:-}"
EOF
}

# EVENTSTORE_DSN is a key=value connection string; the tools need its parts.
use_external_server() {
  local host=localhost port=5432 user=${USER:-postgres} pair
  for pair in $EVENTSTORE_DSN; do
    case "$pair" in
      host=*) host=${pair#host=} ;;
      port=*) port=${pair#port=} ;;
      user=*) user=${pair#user=} ;;
      password=*) export PGPASSWORD=${pair#password=} ;;
    esac
  done
  mkdir -p "$build"
  write_env "$host" "$port" "$user" ""
  [ -n "${PGPASSWORD:-}" ] && echo "export PGPASSWORD=$PGPASSWORD" >>"$build/cluster.env"
  echo "==> using the server of EVENTSTORE_DSN ($host:$port) instead of a cluster of our own"
}

start() {
  if [ -n "${EVENTSTORE_DSN:-}" ]; then use_external_server; return; fi
  prepare_directory
  local data=$cluster/data
  if [ ! -f "$data/PG_VERSION" ]; then
    as_cluster_owner "$pg_bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$data/postgresql.conf" <<'EOF'

# pg_eventstore's test and demo cluster
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 200
shared_buffers = 256MB
wal_buffers = 16MB
max_wal_size = 4GB
checkpoint_timeout = 15min
fsync = on
synchronous_commit = on
log_min_messages = warning
log_line_prefix = '%m [%p] '
max_prepared_transactions = 10
# Shared counters for eventstore.stats() need the library at start-up.
shared_preload_libraries = 'pg_eventstore'
EOF
  fi
  local port
  if as_cluster_owner "$pg_bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    port=$(cat "$cluster/port")
    echo "==> the cluster runs on port $port (data in $data)"
  else
    port=${EVENTSTORE_PORT:-54320}
    while ! port_is_free "$port"; do port=$((port + 1)); done
    echo "$port" >"$cluster/port.new" && mv "$cluster/port.new" "$cluster/port"
    echo "==> starting the cluster on port $port (PostgreSQL 15, data in $data)"
    if ! as_cluster_owner "$pg_bin/pg_ctl" -D "$data" -l "$cluster/server.log" -o "-p $port" -w -t 60 start >/dev/null; then
      echo "cluster: PostgreSQL did not start; the end of $cluster/server.log:" >&2
      tail -n 30 "$cluster/server.log" >&2
      exit 1
    fi
  fi
  write_env 127.0.0.1 "$port" postgres "$cluster/server.log"
}

stop() {
  [ -f "$cluster/data/PG_VERSION" ] || return 0
  as_cluster_owner "$pg_bin/pg_ctl" -D "$cluster/data" -m fast -w stop >/dev/null 2>&1 || true
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) cat "$build/cluster.env" ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
