# Settings shared by up.sh and down.sh. Source it; do not run it.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

# Tryton 6.0 and its modules are Debian packages: they only exist for Debian's python,
# not for the pyenv python3 that comes first on PATH.
PY=/usr/bin/python3
TRYTON_DB="${TRYTON_DB:-finsync_erp}"
TRYTON_ADMIN_PASSWORD="${TRYTON_ADMIN_PASSWORD:-admin}"
TRYTON_DIR="$RUN/tryton"
TRYTON_CONF="$TRYTON_DIR/trytond.conf"
TRYTON_PIDFILE="$TRYTON_DIR/trytond.pid"
TRYTON_LOG="$LOGS/tryton.log"
TRYTON_URL="http://127.0.0.1:8000/$TRYTON_DB/"
# The Tryton modules finsync needs (their dependencies come with them: account, company, currency, party, country,
# product). bank: the parties' bank accounts (IBAN) of vendor onboarding. Adding one here activates it on an
# existing database at the next up.sh (which restarts trytond once for it).
TRYTON_MODULES=(account_invoice account_payment account_product bank)
# Written by the last step of the initialisation; its absence means "not (fully) initialised".
TRYTON_MARKER="finsync tryton stack: initialised"
