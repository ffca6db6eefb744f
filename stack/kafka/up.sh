#!/usr/bin/env bash
# Apache Kafka 4 (KRaft, single node) on 127.0.0.1:9092, from the jars resolved by stack/lib/jars.sh.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

dir="$RUN/kafka"; mkdir -p "$dir/data"
conf="$dir/server.properties"; pidfile="$dir/kafka.pid"; logfile="$LOGS/kafka.log"
sed "s|@RUN@|$RUN|g" "$REPO/stack/kafka/server.properties" >"$conf"

# java_cmd <log-file>: the JVM command line shared by the broker and its storage tool.
java_cmd() {
  JAVA_CMD=("$JAVA" -Xms256m -Xmx768m -XX:+UseG1GC -Djava.awt.headless=true
    -Dlog4j2.configurationFile="$REPO/stack/kafka/log4j2.properties" -Dkafka.logs.file="$1"
    -cp "$CACHE/jars/kafka/*")
}

if ! pid_alive "$pidfile"; then
  refuse_foreign_port kafka 9092
  if [[ ! -f "$dir/data/meta.properties" ]]; then
    log "kafka: formatting storage in $dir/data"
    java_cmd "$LOGS/kafka-storage.log"
    cluster_id="$("${JAVA_CMD[@]}" kafka.tools.StorageTool random-uuid)"
    "${JAVA_CMD[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$conf" --standalone \
      >>"$LOGS/kafka-storage.log" 2>&1 || die "kafka: storage format failed; log: $LOGS/kafka-storage.log"
  fi
  java_cmd "$logfile"
  # The broker's own metrics (JMX MBeans) for Prometheus on 127.0.0.1:9405 (docs/operations.md).
  agent=($(jmx_agent "${FINSYNC_KAFKA_METRICS_PORT:-9405}" "$REPO/stack/kafka/jmx-exporter.yml"))
  start_daemon kafka "$pidfile" "$LOGS/kafka.out" "${JAVA_CMD[@]:0:1}" "${agent[@]}" "${JAVA_CMD[@]:1}" kafka.Kafka "$conf"
fi

# Readiness is a real produce/consume round trip with the client finsync uses (kafkajs).
wait_until kafka "${KAFKA_READY_TIMEOUT:-120}" "$logfile" \
  "$REPO/node_modules/.bin/tsx" "$REPO/stack/readiness/kafkaRoundTrip.ts" 127.0.0.1:9092
log "kafka: ready on 127.0.0.1:9092 (round trip ok); log: $logfile"
