#!/usr/bin/env bash
# Builds the operations console (console/) when its inputs changed: the API schema composed from the subgraphs'
# schema files, the typed operations GraphQL Code Generator makes from it, then the bundle (Vite) in console/dist,
# which the gateway serves at /console. A stamp (console/dist/.inputs.sha256) holds the hash of every input: the
# console's sources, the subgraphs' schema files, the lockfile. `npm start` and `npm test` run this before the
# typecheck (which needs the generated types); FORCE=1 builds regardless.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

inputs_hash() {
  {
    find console bin/console -type f -not -path 'console/dist/*' -not -path 'console/src/graphql/gql/*' \
      -not -path 'console/src/graphql/schema.graphql'
    ls subgraphs/*/schema.graphql subgraphs/shared/common.graphql package-lock.json
  } | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1
}

stamp=console/dist/.inputs.sha256
want="$(inputs_hash)"
if [[ "${FORCE:-}" != 1 && -f "$stamp" && "$(cat "$stamp")" == "$want" && -f console/src/graphql/gql/graphql.ts ]]; then
  echo "console: up to date (console/dist)"
  exit 0
fi
echo "console: building (schema → typed operations → bundle)"
node --import tsx bin/console/writeApiSchema.ts
(cd console && ../node_modules/.bin/graphql-codegen --config codegen.ts --silent)
(cd console && ../node_modules/.bin/vite build --logLevel warn)
echo "$want" >"$stamp"
echo "console: built into console/dist"
