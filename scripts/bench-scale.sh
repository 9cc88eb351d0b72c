#!/usr/bin/env bash
# Builds a synthetic monorepo from N copies of a corpus and times `infralint check` on it, to
# show how time and memory grow with the size of the tree (see docs/performance.md).
# Usage: scripts/bench-scale.sh [DIR [RUNS [N...]]]
#   DIR   defaults to ../shared/bench-corpus (relative to the repository root)
#   RUNS  timed runs per size (median; default 5), after one warm-up run
#   N     copies; default "1 10 50"
# Needs: GNU time (/usr/bin/time); hyperfine is used when present.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-$root/../shared/bench-corpus}"
runs="${2:-5}"
shift $(($# < 2 ? $# : 2))
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1 10 50)
[ -d "$dir" ] || { echo "no such directory: $dir" >&2; exit 2; }
dir="$(cd "$dir" && pwd)"
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) not found" >&2; exit 2; }
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$root/target}/release/infralint"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

median() {
  sort -g | awk '{a[NR]=$1} END {if (NR == 0) exit 1; print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'
}

# Wall seconds and peak RSS (KiB) of one run, as "seconds kib" (exit code ignored: findings
# make infralint exit 1).
measure() {
  local out
  out=$(mktemp)
  /usr/bin/time -f '%e %M' -o "$out" "$bin" check "$1" --format json -o /dev/null >/dev/null 2>&1 || true
  tail -1 "$out"
  rm -f "$out"
}

echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (before)"
echo "binary:  $("$bin" --version)"
echo "runs:    $runs per size (median), 1 warm-up"
printf '\n| copies | .tf files | all files | median wall time | per 1,000 .tf files | median peak RSS |\n'
printf '| --- | --- | --- | --- | --- | --- |\n'
for n in "${counts[@]}"; do
  mono="$scratch/mono-$n"
  mkdir -p "$mono"
  for i in $(seq "$n"); do cp -r "$dir" "$mono/copy-$i"; done
  tf=$(find "$mono" -type f -name '*.tf' | wc -l)
  files=$(find "$mono" -type f | wc -l)
  if command -v hyperfine >/dev/null; then
    json="$scratch/h.json"
    hyperfine --runs "$runs" --warmup 1 -i --style none --export-json "$json" \
      "$(printf '%q ' "$bin" check "$mono" --format json -o /dev/null)" >/dev/null
    secs=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$json")
    rss=$(for _ in $(seq "$runs"); do measure "$mono" | cut -d' ' -f2; done | median)
  else
    measure "$mono" >/dev/null
    results=$(for _ in $(seq "$runs"); do measure "$mono"; done)
    secs=$(cut -d' ' -f1 <<<"$results" | median)
    rss=$(cut -d' ' -f2 <<<"$results" | median)
  fi
  printf '| %s× | %s | %s | %.3f s | %.3f s | %.1f MiB |\n' "$n" "$tf" "$files" "$secs" \
    "$(echo "$secs * 1000 / $tf" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
  rm -rf "$mono"
done
echo
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (after)"
