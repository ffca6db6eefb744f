#!/usr/bin/env bash
# Stops trytond; the database (and its data) stays in PostgreSQL.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

stop_daemon tryton "$TRYTON_PIDFILE"
# A trytond whose pid file was lost (e.g. .run wiped) is still found by its config path.
pattern="trytond -c $TRYTON_CONF"
if pkill -f -- "$pattern"; then
  log "tryton: stopped a trytond that had no pid file"
  for _ in $(seq 20); do pgrep -f -- "$pattern" >/dev/null || break; sleep 0.5; done
fi
log "tryton: stopped"
