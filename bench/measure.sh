#!/usr/bin/env bash
# Times whole commands (benchmarks, not tests) and sizes the generated crate:
#   - `clientgen generate` for the workspace's specs, release build, best and median of N runs;
#   - `cargo check -p api-clients` with warm dependencies (the crate itself rebuilt);
#   - lines of generated code per operation and per schema.
# Usage: bench/measure.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}

cargo build -q --release -p clientgen
bin=target/release/clientgen
"$bin" generate >/dev/null 2>&1

times=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  "$bin" generate >/dev/null 2>&1
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "clientgen generate (every spec in clientgen.toml, release, $runs runs): best $((sorted[0] / 1000)) ms, median $((sorted[runs / 2] / 1000)) ms"

# Non-incremental: an incremental re-check of an untouched crate times almost nothing.
export CARGO_INCREMENTAL=0
cargo check -q -p api-clients 2>/dev/null
touch generated/src/lib.rs
start=$(date +%s%N)
cargo check -q -p api-clients
end=$(date +%s%N)
echo "cargo check -p api-clients, warm dependencies: $(( (end - start) / 1000000 )) ms"

ops=$(grep -c 'pub async fn send' generated/src/*/operations.rs | awk -F: '{s += $2} END {print s}')
schemas=$(grep -cE '^pub (struct|enum|type) ' generated/src/*/types.rs | awk -F: '{s += $2} END {print s}')
op_lines=$(cat generated/src/*/operations.rs generated/src/*/mod.rs | wc -l)
type_lines=$(cat generated/src/*/types.rs | wc -l)
runtime_lines=$(cat generated/src/runtime/*.rs | wc -l)
echo "operations: $ops in $op_lines lines ($(( op_lines / ops )) per operation, client and docs included)"
echo "types: $schemas in $type_lines lines ($(( type_lines / schemas )) per type, docs included)"
echo "shared runtime: $runtime_lines lines"
