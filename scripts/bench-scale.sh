#!/usr/bin/env bash
# Builds a synthetic monorepo from N copies of a corpus and times `infralint check` on it, to show
# that time and memory grow linearly. Usage: scripts/bench-scale.sh [DIR] [N...]
#   DIR defaults to ../shared/bench-corpus; N defaults to "1 10 50".
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-$root/../shared/bench-corpus}"
shift || true
counts=("${@:-1 10 50}")
[ -d "$dir" ] || { echo "no such directory: $dir" >&2; exit 2; }
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$root/target}/release/infralint"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

printf '| copies | files | median wall time (3 runs) | peak memory |\n| --- | --- | --- | --- |\n'
for n in ${counts[*]}; do
  mono="$scratch/mono-$n"
  mkdir -p "$mono"
  for i in $(seq "$n"); do cp -r "$dir" "$mono/copy-$i"; done
  files=$(find "$mono" -type f | wc -l)
  times=()
  for _ in 1 2 3; do
    start=$(date +%s.%N)
    "$bin" check "$mono" --format json -o /dev/null >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc -l)")
  done
  median=$(printf '%s\n' "${times[@]}" | sort -g | sed -n 2p)
  mem=$(/usr/bin/time -v "$bin" check "$mono" --format json -o /dev/null 2>&1 >/dev/null \
    | awk -F: '/Maximum resident set size/ {printf "%.1f", $2/1024}')
  printf '| %s | %s | %.3f s | %s MiB |\n' "$n" "$files" "$median" "$mem"
  rm -rf "$mono"
done
