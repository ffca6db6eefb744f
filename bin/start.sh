#!/usr/bin/env bash
# `npm start`: install what is missing (bin/ensure-installed.sh), build the console if it changed, then the launcher
# (bin/start.ts).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash bin/ensure-installed.sh
# The operations console the gateway serves at /console: built when its sources or the API schema changed.
bash bin/console/build.sh
exec node --import tsx bin/start.ts "$@"
