#!/usr/bin/env bash
# docker-compose.yml: the stand-in source databases in the postgres container, as stack/postgres/up.sh
# makes them on a machine without Docker: one database per stack/postgres/sources/<db>.sql, then that file.
#
# Mounted into /docker-entrypoint-initdb.d/, so the image runs it once, on an empty data volume (after
# `docker compose down -v`, or by hand: `docker compose exec postgres bash /finsync/stack/docker/postgres-init.sh`;
# the SQL files are idempotent). The image sources it when it is not executable, so it never calls
# `exit` and sets no shell options: it would change the image's entrypoint.

finsync_create_pg_sources() {
  local dir="${FINSYNC_PG_SOURCES_DIR:-/finsync/stack/postgres/sources}" sql db
  local psql_q=(psql -X -qAt -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}")
  for sql in "$dir"/*.sql; do
    [[ -e "$sql" ]] || continue
    db="$(basename "$sql" .sql)"
    if [[ -z "$("${psql_q[@]}" -d postgres -c "select 1 from pg_database where datname = '$db'")" ]]; then
      echo "finsync: creating source database $db"
      "${psql_q[@]}" -d postgres -c "create database \"$db\"" || return 1
    fi
    echo "finsync: applying $sql to $db"
    "${psql_q[@]}" -d "$db" -f "$sql" || return 1
  done
}

finsync_create_pg_sources
