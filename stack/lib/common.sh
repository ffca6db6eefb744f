# Shared helpers for the stack scripts. Source it; do not run it.
# Runtime state (logs, pids, data) lives under $FINSYNC_RUN_DIR, downloaded jars under $FINSYNC_CACHE_DIR:
# both outside git, both survive a second `stack:up` so that it neither re-downloads nor re-initialises.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN="${FINSYNC_RUN_DIR:-$REPO/.run}"
CACHE="${FINSYNC_CACHE_DIR:-$REPO/.cache}"
LOGS="$RUN/logs"
mkdir -p "$RUN" "$LOGS" "$CACHE"

# Debian's JDK 17: Kafka 4 needs 17+, and Connect/Debezium are built for it.
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
JAVA="$JAVA_HOME/bin/java"

log() { printf '%s %s\n' "[$(date +%H:%M:%S)]" "$*" >&2; }
die() { printf '%s\n' "$*" >&2; exit 1; }

# wait_until <component> <timeout-s> <log-path> <command...>: polls the command once a second.
wait_until() {
  local component="$1" timeout="$2" logfile="$3"; shift 3
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      die "$component: not ready after ${timeout}s; log: $logfile"
    fi
    sleep 1
  done
}

# port_open <port>: true when something accepts connections on 127.0.0.1:<port>.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# refuse_foreign_port <component> <port>: before starting our own process, make sure the port is free;
# otherwise the readiness check would pass against a process that is not ours (another checkout's broker).
refuse_foreign_port() {
  if port_open "$2"; then
    die "$1: 127.0.0.1:$2 is already in use by a process this checkout did not start ($(ss -ltnpH "sport = :$2" 2>/dev/null | sed 's/.*users://' | head -1)); stop it first"
  fi
}

# pid_alive <pidfile>: true when the pid file names a running process.
pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# start_daemon <name> <pidfile> <logfile> <command...>: detached, survives the calling shell.
start_daemon() {
  local name="$1" pidfile="$2" logfile="$3"; shift 3
  log "$name: starting (log: $logfile)"
  setsid nohup "$@" >>"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
}

# stop_daemon <name> <pidfile> [timeout-s]: SIGTERM, then SIGKILL after the timeout.
stop_daemon() {
  local name="$1" pidfile="$2" timeout="${3:-30}"
  pid_alive "$pidfile" || { rm -f "$pidfile"; return 0; }
  local pid; pid="$(cat "$pidfile")"
  log "$name: stopping (pid $pid)"
  kill "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + timeout))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then kill -9 "$pid" 2>/dev/null || true; fi
    sleep 0.5
  done
  rm -f "$pidfile"
}

# jmx_agent <port> <config.yml>: the -javaagent option serving the JVM's MBeans to Prometheus on 127.0.0.1:<port>
# (stack/lib/jars.sh resolves the agent; FINSYNC_JMX_EXPORTER=off leaves it out). Prints nothing when off.
jmx_agent() {
  [[ "${FINSYNC_JMX_EXPORTER:-on}" == off ]] && return 0
  local jar; jar="$(ls "$CACHE"/jars/jmx-exporter/jmx_prometheus_javaagent-*.jar 2>/dev/null | head -1)"
  [[ -n "$jar" ]] || die "jmx exporter: no agent jar in $CACHE/jars/jmx-exporter (run stack/lib/jars.sh)"
  refuse_foreign_port "jmx exporter" "$1"
  printf '%s\n' "-javaagent:$jar=127.0.0.1:$1:$2"
}
