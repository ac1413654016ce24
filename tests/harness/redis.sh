#!/usr/bin/env bash
# The project's own redis-server for the cache tests and benchmark: a daemon
# on loopback, on a free port, with no persistence, its files under the build
# tree. A restart reuses the port it had, so clients reconnect to it.
#
#   redis.sh start   start if stopped; writes build/redis.env (EVENTSTORE_TEST_REDIS_PORT)
#   redis.sh stop    shut it down (SHUTDOWN NOSAVE)
#   redis.sh kill    end it abruptly (SIGKILL), as a crash would
#   redis.sh env     print build/redis.env
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
case "$build" in /*) ;; *) build=$root/$build ;; esac
dir=$build/redis
server=${REDIS_SERVER:-redis-server}

port_is_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

running_pid() {
  [ -f "$dir/redis.pid" ] || return 1
  local pid
  pid=$(cat "$dir/redis.pid")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q redis "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}

start() {
  command -v "$server" >/dev/null || { echo "redis: $server is not installed (tests/harness/install-dependencies.sh)" >&2; exit 1; }
  mkdir -p "$dir"
  local port
  if running_pid >/dev/null; then
    port=$(cat "$dir/port")
    echo "==> redis runs on port $port"
  else
    port=$(cat "$dir/port" 2>/dev/null || echo "${EVENTSTORE_REDIS_PORT:-63790}")
    while ! port_is_free "$port"; do port=$((port + 1)); done
    echo "$port" >"$dir/port"
    rm -f "$dir/redis.pid"
    "$server" --port "$port" --bind 127.0.0.1 --daemonize yes --pidfile "$dir/redis.pid" \
      --dir "$dir" --logfile "$dir/redis.log" --save '' --appendonly no --protected-mode yes >/dev/null
    local tries=0
    until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && running_pid >/dev/null; do
      tries=$((tries + 1))
      if [ $tries -gt 100 ]; then
        echo "redis: redis-server did not start; the end of $dir/redis.log:" >&2
        tail -n 20 "$dir/redis.log" >&2 || true
        exit 1
      fi
      sleep 0.05
    done
    echo "==> redis started on port $port (files in $dir)"
  fi
  cat >"$build/redis.env" <<ENV
export EVENTSTORE_TEST_REDIS_HOST=127.0.0.1
export EVENTSTORE_TEST_REDIS_PORT=$port
ENV
}

wait_gone() {
  local pid=$1 tries=0
  while kill -0 "$pid" 2>/dev/null && [ $tries -lt 200 ]; do
    sleep 0.05
    tries=$((tries + 1))
  done
}

stop() {
  local pid
  pid=$(running_pid) || return 0
  if command -v redis-cli >/dev/null; then
    redis-cli -h 127.0.0.1 -p "$(cat "$dir/port")" shutdown nosave >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
  else
    kill "$pid" 2>/dev/null || true
  fi
  wait_gone "$pid"
  rm -f "$dir/redis.pid"
}

kill_now() {
  local pid
  pid=$(running_pid) || return 0
  kill -9 "$pid"
  wait_gone "$pid"
  rm -f "$dir/redis.pid"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  kill) kill_now ;;
  env) cat "$build/redis.env" ;;
  *) echo "usage: $0 start|stop|kill|env" >&2; exit 2 ;;
esac
