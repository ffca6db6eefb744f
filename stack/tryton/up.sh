#!/usr/bin/env bash
# Tryton 6.0 on http://127.0.0.1:8000/$TRYTON_DB/: creates and initialises the database once
# (modules, admin, demo company, chart, fiscal years), starts trytond, then proves it works
# with a real JSON-RPC login. A second run neither re-initialises nor restarts anything.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
HERE="$REPO/stack/tryton"

mkdir -p "$TRYTON_DIR/data"
sed "s|@RUN@|$RUN|g" "$HERE/trytond.conf" >"$TRYTON_CONF"
# trytond-admin reads the admin password of a new database from this one-line file.
(umask 077 && printf '%s\n' "$TRYTON_ADMIN_PASSWORD" >"$TRYTON_DIR/admin.pass")
export DB_NAME="$TRYTON_DB" TRYTOND_CONFIG="$TRYTON_CONF" TRYTOND_DATABASE__URI="postgresql:///"
export TRYTON_URL TRYTON_ADMIN_PASSWORD

psql_q() { psql -X -qtA -v ON_ERROR_STOP=1 -d postgres -v db="$TRYTON_DB" -v marker="$TRYTON_MARKER" "$@"; }
trytond_running() { pid_alive "$TRYTON_PIDFILE" || pgrep -f -- "trytond -c $TRYTON_CONF" >/dev/null; }

# The marker is a comment on the database itself, written after the last init step: it lives and
# dies with the database, so a wiped .run dir or a dropped/half-built database are both noticed.
# "" = no database, "-" = database without marker, else the marker.
state="$(psql_q <<<"SELECT coalesce(shobj_description(oid, 'pg_database'), '-') FROM pg_database WHERE datname = :'db'")"
if [[ "$state" != "$TRYTON_MARKER" ]]; then
  started=$SECONDS
  # A running trytond holds connections to the old database and caches its modules.
  if trytond_running; then "$HERE/down.sh"; fi
  if [[ -n "$state" ]]; then
    log "tryton: database $TRYTON_DB exists but its initialisation never finished; recreating it"
    dropdb --force "$TRYTON_DB"
  fi
  log "tryton: creating database $TRYTON_DB (log: $TRYTON_LOG)"
  createdb -E UTF8 -T template0 "$TRYTON_DB"
  admin() { "$PY" /usr/bin/trytond-admin -c "$TRYTON_CONF" -d "$TRYTON_DB" -v "$@" >>"$TRYTON_LOG" 2>&1 \
    || die "tryton: trytond-admin $* failed; log: $TRYTON_LOG"; }
  # Base modules (ir, res) and the admin user, whose password comes from the one-line file.
  TRYTONPASSFILE="$TRYTON_DIR/admin.pass" admin --all --email admin@finsync.local
  # A new database inherits template0's planner statistics for pg_catalog: without fresh ones,
  # the information_schema queries trytond-admin makes per table take ~1 s each (measured: the
  # next step takes ~145 s without this ANALYZE, ~25 s with it).
  psql_q -d "$TRYTON_DB" <<<"ANALYZE"
  # Activating these also activates their dependencies (all installed by apt here).
  admin -u "${TRYTON_MODULES[@]}" --activate-dependencies
  psql_q -d "$TRYTON_DB" <<<"ANALYZE"
  log "tryton: modules activated after $((SECONDS - started))s; creating company, chart and fiscal years"
  "$PY" "$HERE/init_company.py" >>"$TRYTON_LOG" 2>&1 \
    || die "tryton: init_company.py failed; log: $TRYTON_LOG"
  psql_q <<<"COMMENT ON DATABASE :\"db\" IS :'marker'"
  log "tryton: database $TRYTON_DB initialised in $((SECONDS - started))s"
fi

# A database initialised before a module joined TRYTON_MODULES gets it now. A running trytond keeps the modules it
# loaded at start, so it is stopped first and started again below: once, on the run that activates the module.
activated="$(psql_q -d "$TRYTON_DB" <<<"SELECT string_agg(name, ' ') FROM ir_module WHERE state = 'activated'")"
missing_modules=()
for m in "${TRYTON_MODULES[@]}"; do [[ " $activated " == *" $m "* ]] || missing_modules+=("$m"); done
if ((${#missing_modules[@]})); then
  for m in "${missing_modules[@]}"; do
    [[ -d "$("$PY" -c 'import trytond.modules as m; print(m.__path__[0])')/$m" ]] \
      || die "tryton: module $m is not installed (run stack/install.sh, which installs its Debian package)"
  done
  log "tryton: activating ${missing_modules[*]} on the existing database $TRYTON_DB (trytond restarts once)"
  if trytond_running; then "$HERE/down.sh"; fi
  "$PY" /usr/bin/trytond-admin -c "$TRYTON_CONF" -d "$TRYTON_DB" -v -u "${missing_modules[@]}" \
    --activate-dependencies >>"$TRYTON_LOG" 2>&1 \
    || die "tryton: trytond-admin -u ${missing_modules[*]} failed; log: $TRYTON_LOG"
fi

# finsync's legal entities as Tryton companies, their currencies and rates (stack/tryton/ensure_companies.py). Done
# with trytond stopped when there is something to do: a running trytond would go on using the user's companies and
# record rules it cached (for up to 5 minutes). A database that has it all costs one quick SQL check.
ensure() { FINSYNC_REPO="$REPO" "$PY" "$HERE/ensure_companies.py" "$@"; }
if ! ensure --check 2>>"$TRYTON_LOG"; then
  log "tryton: adding finsync's legal entities, currencies and rates to $TRYTON_DB"
  if trytond_running; then "$HERE/down.sh"; fi
  ensure >>"$TRYTON_LOG" 2>&1 || die "tryton: ensure_companies.py failed; log: $TRYTON_LOG"
fi

if trytond_running; then
  :
elif (exec 3<>/dev/tcp/127.0.0.1/8000) 2>/dev/null; then
  log "tryton: something already listens on 127.0.0.1:8000; not starting another trytond"
else
  # -d loads the database's modules before listening, so an open port means a usable server.
  start_daemon tryton "$TRYTON_PIDFILE" "$TRYTON_LOG" "$PY" /usr/bin/trytond -c "$TRYTON_CONF" -d "$TRYTON_DB" -v
fi

# Readiness is a real login; stop waiting early if the trytond we own has died, or if the
# password is refused (retrying would only trip Tryton's login rate limiter).
timeout="${TRYTON_READY_TIMEOUT:-120}"; deadline=$((SECONDS + timeout))
while true; do
  rc=0; "$PY" "$HERE/probe.py" login >/dev/null 2>&1 || rc=$?
  ((rc != 0)) || break
  ((rc != 2)) || die "tryton: admin login refused (TRYTON_ADMIN_PASSWORD is not the database's); log: $TRYTON_LOG"
  if [[ -f "$TRYTON_PIDFILE" ]] && ! pid_alive "$TRYTON_PIDFILE"; then
    die "tryton: trytond exited during startup; log: $TRYTON_LOG"
  fi
  ((SECONDS < deadline)) || die "tryton: not ready after ${timeout}s; log: $TRYTON_LOG"
  sleep 1
done
summary="$("$PY" "$HERE/probe.py" summary)" || die "tryton: up but not set up as expected; log: $TRYTON_LOG"

# Tryton as a CDC source: the captured tables and their publication (stack/connect/up.sh, run after this
# script, registers the erp connector that reads it).
psql_q -d "$TRYTON_DB" -f "$HERE/publication.sql" || die "tryton: publication.sql failed"
# finsync's reference data in Tryton (chart codes, taxes, journal, closed periods), through JSON-RPC; idempotent.
FINSYNC_TRYTON_URL="$TRYTON_URL" FINSYNC_TRYTON_PASSWORD="$TRYTON_ADMIN_PASSWORD" \
  "$REPO/node_modules/.bin/tsx" "$REPO/erp/tryton/setupTryton.ts" >>"$TRYTON_LOG" 2>&1 \
  || die "tryton: reference data setup (erp/tryton/setupTryton.ts) failed; log: $TRYTON_LOG"
log "tryton: $TRYTON_URL ready ($summary); log: $TRYTON_LOG"
