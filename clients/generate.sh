#!/usr/bin/env bash
# Generates both clients from the committed OpenAPI document into git-ignored folders:
# `clients/generate.sh OPENAPI_PYTHON_CLIENT`.
#   clients/generated/python/koppel_client  the Python package (openapi-python-client)
#   clients/typescript/generated/koppel.d.ts the TypeScript types for openapi-fetch
# and compiles the TypeScript scenario into clients/typescript/dist.
set -euo pipefail

generator=$1
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$here/generated/python"
mkdir -p "$here/generated"
"$generator" generate --path "$here/../openapi/koppel.openapi.json" \
    --config "$here/python/config.yml" --output-path "$here/generated/python" --fail-on-warning
# openapi-python-client 0.29.1 annotates a required body of several media types `| Unset` without
# importing `Unset` (its issue #1451, fixed by its open pull request #1478): import it there.
grep -rlZ -- '| Unset = UNSET' "$here/generated/python" | xargs -0 -r grep -LZ 'import.*\bUnset\b' |
    xargs -0 -r sed -i 's/^from \.\.\.types import Response, UNSET$/from ...types import Response, UNSET, Unset/'
cd "$here/typescript"
npm run -s generate
npm run -s build
