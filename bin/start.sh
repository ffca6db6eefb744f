#!/usr/bin/env bash
# `npm start`: install what is missing (bin/ensure-installed.sh), then the launcher (bin/start.ts).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash bin/ensure-installed.sh
exec node --import tsx bin/start.ts "$@"
