#!/bin/sh
# docker-compose.yml: registers every connector in stack/connect/connectors/<name>.json with Kafka Connect,
# then waits until each connector and its tasks are RUNNING: what the second half of stack/connect/up.sh does.
# PUT /connectors/<name>/config creates or updates, so running it again is harmless. The files are sent as
# they are: their ${env:...} placeholders are resolved by the Connect worker, from its own environment.
# POSIX sh: it runs in the curlimages/curl image, which has neither bash, node nor jq.
set -eu

url="${CONNECT_URL:-http://connect:8083}"
dir="${CONNECTORS_DIR:-/finsync/stack/connect/connectors}"
ready_timeout="${CONNECT_READY_TIMEOUT:-180}"
running_timeout="${CONNECTOR_READY_TIMEOUT:-120}"

log() { printf '%s connect-register: %s\n' "[$(date +%H:%M:%S)]" "$*" >&2; }
die() { log "$*"; exit 1; }

# wait_until <timeout-s> <command...>: polls the command once a second; false after the timeout.
wait_until() {
  timeout="$1"; shift
  start="$(date +%s)"
  until "$@" >/dev/null 2>&1; do
    [ $(($(date +%s) - start)) -lt "$timeout" ] || return 1
    sleep 1
  done
}

# connector_running <name>: the connector and every task RUNNING, and at least one task.
connector_running() {
  status="$(curl -fsS "$url/connectors/$1/status")" || return 1
  printf '%s' "$status" | grep -Eq '"tasks" *: *\[ *\{' || return 1
  # Every "state" in the reply (the connector's, then each task's) must be RUNNING.
  ! printf '%s' "$status" | grep -Eo '"state" *: *"[A-Z_]*"' | grep -vq RUNNING
}

# register <file>: PUT the config; a worker that is still joining its group answers 409 or 5xx for a while.
register() {
  name="$(basename "$1" .json)" reply="/tmp/$(basename "$1" .json).put.json" attempt=1
  while :; do
    code="$(curl -sS -o "$reply" -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
      --data-binary "@$1" "$url/connectors/$name/config")" || code=000
    case "$code" in
      2??) log "$name registered (HTTP $code)"; return 0 ;;
      409 | 5?? | 000) [ "$attempt" -lt 30 ] || break ;;
      *) break ;;
    esac
    attempt=$((attempt + 1))
    sleep 2
  done
  die "registering $name failed (HTTP $code: $(head -c 2000 "$reply" 2>/dev/null || true))"
}

log "waiting for Kafka Connect at $url"
wait_until "$ready_timeout" curl -fsS "$url/connector-plugins" \
  || die "Kafka Connect not ready after ${ready_timeout}s at $url"

set -- "$dir"/*.json
[ -e "$1" ] || die "no connector configs (*.json) in $dir"
for file in "$@"; do register "$file"; done

for file in "$@"; do
  name="$(basename "$file" .json)"
  if ! wait_until "$running_timeout" connector_running "$name"; then
    curl -sS "$url/connectors/$name/status" | head -c 2000 >&2 || true
    echo >&2
    die "connector $name not RUNNING after ${running_timeout}s"
  fi
  log "connector $name RUNNING"
done
log "all connectors RUNNING"
