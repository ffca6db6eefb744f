#!/usr/bin/env bash
# What `npm start` and `npm test` run first, before any npm dependency exists: installs what is missing and
# nothing else. Debian packages (stack/install.sh, idempotent: apt runs only when a package is missing), then the
# npm dependencies when node_modules is absent or was installed from another package-lock.json (a stamp holds the
# hash of the lockfile it was installed from). A second run installs nothing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# FINSYNC_SKIP_STACK=1: the stack runs elsewhere (docker-compose), so its Debian packages are not needed here.
if [[ "${FINSYNC_SKIP_STACK:-}" != 1 ]]; then bash stack/install.sh; fi

stamp=node_modules/.finsync-lockfile.sha256
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "install: npm dependencies match package-lock.json"
else
  echo "install: npm ci (node_modules is absent or was installed from another package-lock.json)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" >"$stamp"
fi
