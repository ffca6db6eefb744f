#!/usr/bin/env bash
# Stops what `stack:up` started (Tryton, Kafka Connect, Kafka). PostgreSQL and MariaDB are the machine's
# own services: they keep running, with their data. Kafka's data and Connect's offsets stay in .run/.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

bash "$REPO/stack/tryton/down.sh" || true
stop_daemon connect "$RUN/connect/connect.pid" 60
stop_daemon kafka "$RUN/kafka/kafka.pid" 60
log "stack: down (PostgreSQL and MariaDB keep running as machine services)"
