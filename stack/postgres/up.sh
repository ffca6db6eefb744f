#!/usr/bin/env bash
# The machine's PostgreSQL 15, made ready for Debezium (logical decoding), plus the stand-in source
# databases that finsync captures. Restarts the server only when wal_level has to change.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
# The source scripts are idempotent (create … if not exists); their "already exists" notices are noise.
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
cluster_version="$(ls /etc/postgresql | sort -n | tail -1)"
pg_log="/var/log/postgresql/postgresql-$cluster_version-main.log"
psql_q() { psql -X -qAt -v ON_ERROR_STOP=1 "$@"; }

if ! pg_isready -q; then
  log "postgres: not running; starting cluster $cluster_version/main"
  pg_ctlcluster --skip-systemctl-redirect "$cluster_version" main start
fi
wait_until postgres 60 "$pg_log" psql_q -d postgres -c 'select 1'

if [[ "$(psql_q -d postgres -c 'show wal_level')" != logical ]]; then
  log "postgres: setting wal_level=logical and restarting"
  psql_q -d postgres -c 'alter system set wal_level = logical'
  pg_ctlcluster --skip-systemctl-redirect "$cluster_version" main restart
  wait_until postgres 60 "$pg_log" psql_q -d postgres -c 'select 1'
  [[ "$(psql_q -d postgres -c 'show wal_level')" == logical ]] || die "postgres: wal_level is still not logical; log: $pg_log"
fi

# Each stand-in source system is its own database, as it would be at a customer.
for sql in "$REPO"/stack/postgres/sources/*.sql; do
  db="$(basename "$sql" .sql)"
  if [[ -z "$(psql_q -d postgres -c "select 1 from pg_database where datname = '$db'")" ]]; then
    psql_q -d postgres -c "create database $db"
  fi
  psql_q -d "$db" -f "$sql"
done
log "postgres: ready on $PGHOST:$PGPORT (wal_level=logical); log: $pg_log"
