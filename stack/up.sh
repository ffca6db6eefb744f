#!/usr/bin/env bash
# Brings the whole local stack up, in dependency order; idempotent: what already runs is checked, not
# restarted. Prints where each component listens and where its log is.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
started=$SECONDS

bash "$REPO/stack/postgres/up.sh"
bash "$REPO/stack/mariadb/up.sh"
bash "$REPO/stack/lib/jars.sh"
bash "$REPO/stack/kafka/up.sh"
# Tryton before Connect: its database is a CDC source (publication, connector erp) and must exist first.
bash "$REPO/stack/tryton/up.sh"
bash "$REPO/stack/connect/up.sh"

cat <<TXT

finsync stack is up ($((SECONDS - started)) s):
  PostgreSQL 15 (wal_level=logical)   127.0.0.1:5432          log: /var/log/postgresql/
  MariaDB 10.11 (ROW binlog)          127.0.0.1:3306          log: /var/lib/mysql/finsync-mariadb.err
  Kafka 4.3 (KRaft, single node)      127.0.0.1:9092          log: $LOGS/kafka.log
  Kafka Connect + Debezium            http://127.0.0.1:8083   log: $LOGS/connect.log
  Tryton 6.0 ERP (JSON-RPC)           http://127.0.0.1:8000   log: $LOGS/tryton.log
TXT
