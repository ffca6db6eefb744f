#!/usr/bin/env bash
# The machine's MariaDB, made ready for Debezium (row-based binlog with full row images), plus the
# stand-in billing database and a replication user for the connector.
# Restarts the server only when the binlog settings have to change.
# The settings go on mariadbd's command line rather than into /etc: the machine's own config stays
# untouched, and if something restarts MariaDB without them, the next `stack:up` notices and restarts it.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

# mariadbd runs as the mysql user, so its log lives in its data directory.
mariadb_log="/var/lib/mysql/finsync-mariadb.err"
binlog_args=(--log-bin=mariadb-bin --binlog-format=ROW --binlog-row-image=FULL --server-id=1
  --expire-logs-days=7 --log-error="$mariadb_log")
q() { mariadb -uroot --protocol=socket -N -B -e "$1"; }
alive() { q 'select 1'; }
binlog_mode() { q "select concat_ws('/', if(@@log_bin, 'ON', 'OFF'), @@binlog_format, @@binlog_row_image)"; }

start_mariadb() {
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- "${binlog_args[@]}"
  wait_until mariadb 60 "$mariadb_log" alive
}

alive >/dev/null 2>&1 || { log "mariadb: not running; starting with the ROW binlog"; start_mariadb; }

if [[ "$(binlog_mode)" != ON/ROW/FULL ]]; then
  log "mariadb: restarting with the ROW binlog (${binlog_args[*]})"
  mariadb-admin -uroot --protocol=socket shutdown
  for _ in $(seq 60); do pgrep -x mariadbd >/dev/null || break; sleep 1; done
  start_mariadb
  [[ "$(binlog_mode)" == ON/ROW/FULL ]] \
    || die "mariadb: binlog still not ROW/FULL after restart; log: $mariadb_log"
fi

cdc_user="${FINSYNC_MARIADB_CDC_USER:-finsync_cdc}" cdc_password="${FINSYNC_MARIADB_CDC_PASSWORD:-finsync_cdc}"
q "create user if not exists '$cdc_user'@'%' identified by '$cdc_password';
   create user if not exists '$cdc_user'@'localhost' identified by '$cdc_password';
   grant select, reload, show databases, replication slave, binlog monitor on *.* to '$cdc_user'@'%';
   grant select, reload, show databases, replication slave, binlog monitor on *.* to '$cdc_user'@'localhost';"
for sql in "$REPO"/stack/mariadb/sources/*.sql; do
  db="$(basename "$sql" .sql)"
  q "create database if not exists \`$db\`"
  mariadb -uroot --protocol=socket "$db" <"$sql"
done
log "mariadb: ready on 127.0.0.1:3306 (binlog ROW, full row image); log: $mariadb_log"
