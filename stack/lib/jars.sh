#!/usr/bin/env bash
# Resolves the Kafka broker, Kafka Connect, the Debezium connector and the JMX exporter agent jars from Maven Central with `mvn`,
# from the poms in stack/maven/. A stamp holding each pom's hash makes a second run download nothing.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

resolve() { # <pom-dir-name> <output-dir> [extra mvn args...]
  local name="$1" out="$2"; shift 2
  local pom="$REPO/stack/maven/$name/pom.xml"
  local stamp="$out/.resolved-from"
  local want; want="$(sha256sum "$pom" | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then return 0; fi
  log "jars: resolving $name with mvn (log: $LOGS/mvn-$name.log)"
  rm -rf "$out" && mkdir -p "$out"
  mvn -B -f "$pom" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$out" "$@" \
    >"$LOGS/mvn-$name.log" 2>&1 || die "jars: mvn failed for $name; log: $LOGS/mvn-$name.log"
  echo "$want" >"$stamp"
}

resolve kafka "$CACHE/jars/kafka"
# Connect supplies its own Kafka API classes; the plugins must not bring a second copy.
resolve debezium-postgres "$CACHE/jars/plugins/debezium-postgres" -DexcludeGroupIds=org.apache.kafka
resolve debezium-mariadb "$CACHE/jars/plugins/debezium-mariadb" -DexcludeGroupIds=org.apache.kafka
# The Prometheus JMX exporter java agent (one shaded jar), attached to Connect and Kafka by their up.sh.
resolve jmx-exporter "$CACHE/jars/jmx-exporter" -DexcludeTransitive=true
