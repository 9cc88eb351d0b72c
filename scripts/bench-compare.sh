#!/usr/bin/env bash
# Times the release binary against Checkov on the same files and prints the machine, the tool
# versions, median wall times, median peak memory and the ratio (see docs/performance.md).
# Usage: scripts/bench-compare.sh [DIR] [RUNS]
#   DIR   defaults to ../shared/bench-corpus (relative to the repository root)
#   RUNS  defaults to 5 (per tool, after one warm-up run each)
# Needs: checkov (pip install checkov), GNU time (/usr/bin/time); hyperfine is used when present.
# Both tools are run with their exit codes ignored: findings make them exit non-zero.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-$root/../shared/bench-corpus}"
runs="${2:-5}"
[ -d "$dir" ] || { echo "no such directory: $dir" >&2; exit 2; }
dir="$(cd "$dir" && pwd)"
command -v checkov >/dev/null || { echo "checkov not found: pip install checkov" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) not found" >&2; exit 2; }

cargo build --release --quiet --manifest-path "$root/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$root/target}/release/infralint"

infralint_cmd=("$bin" check "$dir" --format json -o /dev/null)
# The frameworks infralint covers; no network (no module downloads, no guideline download).
checkov_cmd=(checkov -d "$dir" --quiet --compact -o json --skip-download
  --framework terraform dockerfile github_actions)

# Wall time in seconds of one run (exit code ignored).
wall_seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

# Median of numbers on stdin.
median() {
  sort -g | awk '{a[NR]=$1} END {if (NR == 0) exit 1; print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'
}

quote() { printf '%q ' "$@"; }

echo "date:     $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine:  $(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), $(uname -sm)"
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, before the runs)"
echo "versions: $("$bin" --version), checkov $(checkov --version 2>/dev/null)$(command -v hyperfine >/dev/null && echo ", $(hyperfine --version)")"
echo "corpus:   $dir"
echo "files:    $(find "$dir" -type f -name '*.tf' | wc -l) .tf, $(find "$dir" -type f -name 'Dockerfile*' | wc -l) Dockerfiles, $(find "$dir" -type f -path '*/.github/workflows/*' \( -name '*.yml' -o -name '*.yaml' \) | wc -l) workflows"
echo "runs:     $runs per tool (median), 1 warm-up"

# Every timed run goes through GNU time, which appends its peak RSS (KiB) to a file: memory
# comes from the same runs as the times (time's own overhead is negligible).
il_rss=$(mktemp)
ck_rss=$(mktemp)
trap 'rm -f "$il_rss" "$ck_rss"' EXIT
timed() { local out="$1"; shift; echo /usr/bin/time -f %M -a -o "$out" "$@"; }
if command -v hyperfine >/dev/null; then
  json=$(mktemp)
  hyperfine --runs "$runs" --warmup 1 -i --style none --export-json "$json" \
    "$(timed "$il_rss" "$(quote "${infralint_cmd[@]}")")" \
    "$(timed "$ck_rss" "$(quote "${checkov_cmd[@]}")")" >/dev/null
  il=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$json")
  ck=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["results"][1]["median"])' "$json")
  rm -f "$json"
else
  /usr/bin/time -f %M -a -o "$il_rss" "${infralint_cmd[@]}" >/dev/null 2>&1 || true
  /usr/bin/time -f %M -a -o "$ck_rss" "${checkov_cmd[@]}" >/dev/null 2>&1 || true
  il=$(for _ in $(seq "$runs"); do wall_seconds /usr/bin/time -f %M -a -o "$il_rss" "${infralint_cmd[@]}"; done | median)
  ck=$(for _ in $(seq "$runs"); do wall_seconds /usr/bin/time -f %M -a -o "$ck_rss" "${checkov_cmd[@]}"; done | median)
fi
# Peak RSS in MiB: median over every run, warm-up included.
il_mem=$(grep -E '^[0-9]+$' "$il_rss" | median | awk '{printf "%.1f", $1/1024}')
ck_mem=$(grep -E '^[0-9]+$' "$ck_rss" | median | awk '{printf "%.1f", $1/1024}')
rss_runs=$(grep -cE '^[0-9]+$' "$il_rss")
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (after the runs)"

printf '\n| tool | median wall time | median peak RSS (%s runs) |\n| --- | --- | --- |\n' "$rss_runs"
printf '| infralint | %.3f s | %.1f MiB |\n' "$il" "$il_mem"
printf '| checkov | %.3f s | %.1f MiB |\n' "$ck" "$ck_mem"
printf '\nratio (checkov / infralint): time %.1fx, memory %.1fx\n' \
  "$(echo "$ck / $il" | bc -l)" "$(echo "$ck_mem / $il_mem" | bc -l)"
