#!/usr/bin/env bash
# docker-compose.yml: Tryton 6.0 from the tryton/tryton:6.0 image, doing what stack/tryton/up.sh does on a
# machine without Docker, with the same files (mounted at /finsync/stack):
#
#   tryton.sh init    once per database: create it, activate the modules and set the admin password
#                     (trytond-admin), then the company, chart and fiscal years (stack/tryton/init_company.py);
#                     a database that already carries the "initialised" marker only gets what is missing (a
#                     module added since; the legal entities, currencies and rates of ensure_companies.py)
#   tryton.sh serve   trytond for that database on 0.0.0.0:8000
#
# The config is stack/tryton/trytond.conf rendered like up.sh renders it. Its `uri = postgresql:///` names no
# host, so libpq takes host and credentials from PGHOST/PGUSER/PGPASSWORD (set by docker-compose.yml). Tryton
# 6.0 reads its config file after the TRYTOND_<SECTION>__<KEY> variables, so the one value that must differ
# in a container, [web] listen, is changed in the rendered copy rather than through the environment.
set -euo pipefail

STACK="${FINSYNC_STACK_DIR:-/finsync/stack}"
TRYTON_DB="${TRYTON_DB:-finsync_erp}"
TRYTON_ADMIN_PASSWORD="${TRYTON_ADMIN_PASSWORD:-admin}"
# /var/lib/trytond/db is the image's volume, writable by its trytond user: the filestore goes there.
DATA="${TRYTON_DATA_DIR:-/var/lib/trytond/db}"
CONF="${TRYTON_RENDERED_CONF:-/tmp/finsync-trytond.conf}"
# The marker that stack/tryton/up.sh writes as the database's comment once initialisation has finished.
MARKER="$(sed -n 's/^TRYTON_MARKER="\(.*\)"$/\1/p' "$STACK/tryton/env.sh" 2>/dev/null || true)"
MARKER="${MARKER:-finsync tryton stack: initialised}"
# The modules up.sh activates (TRYTON_MODULES in env.sh), read the same way.
read -r -a MODULES <<<"$(sed -n 's/^TRYTON_MODULES=(\(.*\))$/\1/p' "$STACK/tryton/env.sh" 2>/dev/null || true)"
((${#MODULES[@]})) || MODULES=(account_invoice account_payment account_product bank)

log() { printf '%s %s\n' "[$(date +%H:%M:%S)]" "tryton: $*" >&2; }
die() { log "$*"; exit 1; }

render_config() {
  mkdir -p "$DATA"
  sed -e "s|@RUN@|$DATA|g" -e 's|^listen[[:space:]]*=.*$|listen = 0.0.0.0:8000|' \
    "$STACK/tryton/trytond.conf" >"$CONF"
  grep -q '^listen = 0.0.0.0:8000$' "$CONF" \
    || die "$STACK/tryton/trytond.conf has no [web] listen line to point at 0.0.0.0:8000"
  # Everything below (trytond, trytond-admin, proteus) reads this file and nothing else.
  export TRYTOND_CONFIG="$CONF"
}

# pg <sql> [param]: one statement against the postgres maintenance database ($PGDATABASE if set), autocommit (CREATE/DROP
# DATABASE need it); prints the first column of the first row, if any. psycopg2 is in the image, psql is not.
pg() {
  python3 - "$@" <<'PY'
import os
import sys
import psycopg2

connection = psycopg2.connect(dbname=os.environ.get('PGDATABASE', 'postgres'))
connection.autocommit = True
with connection.cursor() as cursor:
    cursor.execute(sys.argv[1], sys.argv[2:] or None)
    row = cursor.fetchone() if cursor.description else None
    if row:
        print(row[0])
PY
}

# The database name goes into DDL as an identifier: allow only what Tryton's own database names allow.
[[ "$TRYTON_DB" =~ ^[A-Za-z0-9_]+$ ]] || die "TRYTON_DB must be letters, digits and underscores: $TRYTON_DB"

init() {
  render_config
  # "" = no database, "-" = a database without the marker (a half-finished init), else the marker.
  local state
  state="$(pg "SELECT coalesce(shobj_description(oid, 'pg_database'), '-') FROM pg_database WHERE datname = %s" \
    "$TRYTON_DB")"
  if [[ "$state" == "$MARKER" ]]; then
    log "database $TRYTON_DB already initialised"
    # A module added to the list since: activated now (trytond is not running yet, it starts after this).
    local activated missing=()
    activated="$(PGDATABASE="$TRYTON_DB" pg "SELECT string_agg(name, ' ') FROM ir_module WHERE state = 'activated'")"
    for m in "${MODULES[@]}"; do [[ " $activated " == *" $m "* ]] || missing+=("$m"); done
    if ((${#missing[@]})); then
      log "activating ${missing[*]}"
      trytond-admin -c "$CONF" -d "$TRYTON_DB" -v -u "${missing[@]}" --activate-dependencies
    fi
    companies
    publication
    return 0
  fi
  local started=$SECONDS
  if [[ -n "$state" ]]; then
    log "database $TRYTON_DB exists but its initialisation never finished; recreating it"
    pg "DROP DATABASE \"$TRYTON_DB\" WITH (FORCE)"
  fi
  log "creating database $TRYTON_DB"
  pg "CREATE DATABASE \"$TRYTON_DB\" ENCODING 'UTF8' TEMPLATE template0"

  # Same modules and admin as stack/tryton/up.sh: one pass initialises the base, activates the modules
  # and their dependencies, and sets the admin's email and password (read from TRYTONPASSFILE).
  local passfile; passfile="$(mktemp)"
  printf '%s\n' "$TRYTON_ADMIN_PASSWORD" >"$passfile"
  TRYTONPASSFILE="$passfile" trytond-admin -c "$CONF" -d "$TRYTON_DB" -v \
    -u "${MODULES[@]}" --all --activate-dependencies \
    --email admin@finsync.local
  rm -f "$passfile"
  log "modules activated after $((SECONDS - started))s; creating company, chart and fiscal years"

  DB_NAME="$TRYTON_DB" python3 "$STACK/tryton/init_company.py"
  pg "COMMENT ON DATABASE \"$TRYTON_DB\" IS %s" "$MARKER"
  companies
  publication
  log "database $TRYTON_DB initialised in $((SECONDS - started))s"
}

# finsync's legal entities as companies, their currencies and rates (stack/tryton/ensure_companies.py, which reads
# the reference data mounted at /finsync/canonical-schema/reference and /finsync/erp/tryton/reference); idempotent.
companies() {
  DB_NAME="$TRYTON_DB" FINSYNC_REPO="${FINSYNC_REPO:-/finsync}" python3 "$STACK/tryton/ensure_companies.py"
}

# The captured tables and the publication of the erp connector (stack/tryton/publication.sql), idempotent.
publication() {
  PGDATABASE="$TRYTON_DB" python3 - "$STACK/tryton/publication.sql" <<'PY'
import sys
import psycopg2

connection = psycopg2.connect()
connection.autocommit = True
with connection.cursor() as cursor:
    cursor.execute(open(sys.argv[1]).read())
PY
}

serve() {
  render_config
  # -d loads the database's modules before listening, so an open port means a usable server.
  exec trytond -c "$CONF" -d "$TRYTON_DB" -v
}

case "${1:-}" in
  init) init ;;
  serve) serve ;;
  *) die "usage: tryton.sh init|serve" ;;
esac
