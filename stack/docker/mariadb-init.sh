#!/usr/bin/env bash
# docker-compose.yml: what stack/mariadb/up.sh does on a machine without Docker, minus the binlog
# settings (those are the container's command line): the replication user Debezium connects as, and one
# database per stack/mariadb/sources/<db>.sql, then that file.
#
# Mounted into /docker-entrypoint-initdb.d/, so the image runs it once, on an empty data volume (after
# `docker compose down -v`, or by hand: `docker compose exec mariadb bash /finsync/stack/docker/mariadb-init.sh`;
# every statement is idempotent). The image sources it when it is not executable, so it never calls
# `exit` and sets no shell options: it would change the image's entrypoint.

finsync_create_mariadb_sources() {
  local dir="${FINSYNC_MARIADB_SOURCES_DIR:-/finsync/stack/mariadb/sources}" sql db
  local user="${FINSYNC_MARIADB_CDC_USER:-finsync_cdc}" password="${FINSYNC_MARIADB_CDC_PASSWORD:-finsync_cdc}"
  # During initialisation the server listens on its socket only; root has the image's root password.
  local q=(mariadb -uroot --protocol=socket)
  if [[ -n "${MARIADB_ROOT_PASSWORD:-}" ]]; then q+=("--password=$MARIADB_ROOT_PASSWORD"); fi

  # The grants the Debezium MariaDB connector needs (binlog monitor replaces replication client on MariaDB).
  echo "finsync: creating CDC user $user"
  "${q[@]}" -e "create user if not exists '$user'@'%' identified by '$password';
    create user if not exists '$user'@'localhost' identified by '$password';
    grant select, reload, show databases, replication slave, binlog monitor on *.* to '$user'@'%';
    grant select, reload, show databases, replication slave, binlog monitor on *.* to '$user'@'localhost';" \
    || return 1

  for sql in "$dir"/*.sql; do
    [[ -e "$sql" ]] || continue
    db="$(basename "$sql" .sql)"
    echo "finsync: creating source database $db from $sql"
    "${q[@]}" -e "create database if not exists \`$db\`" || return 1
    "${q[@]}" "$db" <"$sql" || return 1
  done
}

finsync_create_mariadb_sources
