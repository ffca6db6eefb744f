#!/usr/bin/env bash
# The whole test suite: what is missing installed (Debian packages, npm dependencies), static checks, the real stack (started if needed), then every jest test
# (unit tests beside the code, integration tests in test/ against the real components).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

echo "== install what is missing"
bash bin/ensure-installed.sh

echo "== console (built when its sources or the API schema changed: the typecheck needs its generated types)"
bash bin/console/build.sh

echo "== typecheck, lint, format"
npx tsc --noEmit -p .
npx tsc --noEmit -p console
npx eslint .
npx prettier --check . >/dev/null || { npx prettier --check .; exit 1; }

echo "== stack"
bash stack/up.sh

echo "== jest (unit + integration)"
mkdir -p .run
status=0
# --forceExit: kafkajs keeps timers alive for a moment after disconnect; every test awaits its own cleanup.
npx jest --runInBand --forceExit --json --outputFile=.run/jest-results.json "$@" || status=$?
node -e '
  const r = require("./.run/jest-results.json");
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' || true
exit "$status"
