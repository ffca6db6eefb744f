#!/usr/bin/env bash
# Kafka Connect (distributed worker) with the Debezium connectors on 127.0.0.1:8083.
# Registers every connector in stack/connect/connectors/<name>.json (PUT is idempotent) and waits
# until each connector and its tasks are RUNNING.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

dir="$RUN/connect"; mkdir -p "$dir"
conf="$dir/worker.properties"; pidfile="$dir/connect.pid"; logfile="$LOGS/connect.log"
url="http://127.0.0.1:8083"
sed -e "s|@RUN@|$RUN|g" -e "s|@CACHE@|$CACHE|g" "$REPO/stack/connect/worker.properties" >"$conf"

# What the connector configs read through ${env:…}.
export FINSYNC_SOURCE_PG_HOST="${FINSYNC_SOURCE_PG_HOST:-127.0.0.1}" FINSYNC_SOURCE_PG_PORT="${FINSYNC_SOURCE_PG_PORT:-5432}"
export FINSYNC_SOURCE_PG_USER="${FINSYNC_SOURCE_PG_USER:-postgres}" FINSYNC_SOURCE_PG_PASSWORD="${FINSYNC_SOURCE_PG_PASSWORD:-postgres}"
export FINSYNC_SOURCE_MARIADB_HOST="${FINSYNC_SOURCE_MARIADB_HOST:-127.0.0.1}" FINSYNC_SOURCE_MARIADB_PORT="${FINSYNC_SOURCE_MARIADB_PORT:-3306}"
export FINSYNC_SOURCE_MARIADB_USER="${FINSYNC_MARIADB_CDC_USER:-finsync_cdc}" FINSYNC_SOURCE_MARIADB_PASSWORD="${FINSYNC_MARIADB_CDC_PASSWORD:-finsync_cdc}"
export FINSYNC_KAFKA_BROKERS="${FINSYNC_KAFKA_BROKERS:-127.0.0.1:9092}"

if ! pid_alive "$pidfile"; then
  refuse_foreign_port connect 8083
  # Debezium's and Connect's own metrics (JMX MBeans) for Prometheus on 127.0.0.1:9404 (docs/operations.md).
  agent=($(jmx_agent "${FINSYNC_CONNECT_METRICS_PORT:-9404}" "$REPO/stack/connect/jmx-exporter.yml"))
  "$REPO/node_modules/.bin/tsx" "$REPO/stack/readiness/connectTopics.ts" "$FINSYNC_KAFKA_BROKERS" \
    _finsync_connect_configs _finsync_connect_offsets _finsync_connect_status
  start_daemon connect "$pidfile" "$LOGS/connect.out" \
    "$JAVA" -Xms256m -Xmx1g -XX:+UseG1GC -Djava.awt.headless=true "${agent[@]}" \
    -Dlog4j2.configurationFile="$REPO/stack/kafka/log4j2.properties" -Dkafka.logs.file="$logfile" \
    -cp "$CACHE/jars/kafka/*" org.apache.kafka.connect.cli.ConnectDistributed "$conf"
fi
wait_until connect "${CONNECT_READY_TIMEOUT:-180}" "$logfile" curl -fsS "$url/connector-plugins"

connector_running() { # <name>: the connector and every task RUNNING, and at least one task
  curl -fsS "$url/connectors/$1/status" | node -e '
    const s = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const ok = s.connector.state === "RUNNING" && s.tasks.length > 0 && s.tasks.every((t) => t.state === "RUNNING");
    process.exit(ok ? 0 : 1);'
}

for file in "$REPO"/stack/connect/connectors/*.json; do
  name="$(basename "$file" .json)"
  code="$(curl -sS -o "$dir/$name.put.json" -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
    --data-binary "@$file" "$url/connectors/$name/config")"
  [[ "$code" == 2* ]] || die "connect: registering $name failed (HTTP $code: $(cat "$dir/$name.put.json")); log: $logfile"
done
for file in "$REPO"/stack/connect/connectors/*.json; do
  name="$(basename "$file" .json)"
  if ! (wait_until "connect: connector $name" "${CONNECTOR_READY_TIMEOUT:-120}" "$logfile" connector_running "$name"); then
    curl -sS "$url/connectors/$name/status" | head -c 2000 >&2; echo >&2
    exit 1
  fi
  log "connect: connector $name RUNNING"
done
# A connector's first start snapshots every existing source row; wait until that traffic has settled so
# that nothing consuming afterwards sees it mixed into its own.
settled="$("$REPO/node_modules/.bin/tsx" "$REPO/stack/readiness/topicsSettled.ts" "$FINSYNC_KAFKA_BROKERS" \
  '^(erp|billing|procurement|payroll)\.[^.]+\.[^.]+$' 5 "${SNAPSHOT_SETTLE_TIMEOUT:-600}")" \
  || die "connect: Debezium snapshots still running after ${SNAPSHOT_SETTLE_TIMEOUT:-600}s; log: $logfile"
log "connect: ready on $url ($settled); log: $logfile"
