#!/usr/bin/env bash
# Times the release binary against Checkov on the same files and prints medians, peak memory and
# the ratio. Usage: scripts/bench-compare.sh [DIR] [RUNS]
#   DIR   defaults to ../shared/bench-corpus (relative to the repository root)
#   RUNS  defaults to 5
# Needs: checkov (pip install checkov); hyperfine is used when present.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-$root/../shared/bench-corpus}"
runs="${2:-5}"
[ -d "$dir" ] || { echo "no such directory: $dir" >&2; exit 2; }
command -v checkov >/dev/null || { echo "checkov not found: pip install checkov" >&2; exit 2; }

cargo build --release --quiet --manifest-path "$root/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$root/target}/release/infralint"

infralint_cmd=("$bin" check "$dir" --format json -o /dev/null)
checkov_cmd=(checkov -d "$dir" --quiet --compact -o json --framework terraform dockerfile github_actions)

# Median wall time in seconds over $runs runs of a command (its exit code is ignored).
median_seconds() {
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc -l)")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'
}

# Peak resident memory in MiB of one run.
peak_mib() {
  /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident set size/ {printf "%.1f\n", $2/1024}'
}

echo "corpus: $dir"
echo "files:  $(find "$dir" -type f \( -name '*.tf' -o -name 'Dockerfile*' -o -name '*.yml' -o -name '*.yaml' \) | wc -l)"
echo "runs:   $runs (median), machine: $(nproc) cores, $(uname -m)"
if command -v hyperfine >/dev/null; then
  hyperfine --runs "$runs" --warmup 1 -i --export-json /tmp/infralint-bench.json \
    "${infralint_cmd[*]}" "${checkov_cmd[*]}" >/dev/null
  il=$(python3 -c 'import json;print(json.load(open("/tmp/infralint-bench.json"))["results"][0]["median"])')
  ck=$(python3 -c 'import json;print(json.load(open("/tmp/infralint-bench.json"))["results"][1]["median"])')
else
  il=$(median_seconds "${infralint_cmd[@]}")
  ck=$(median_seconds "${checkov_cmd[@]}")
fi
il_mem=$(peak_mib "${infralint_cmd[@]}")
ck_mem=$(peak_mib "${checkov_cmd[@]}")
printf '\n| tool | median wall time | peak memory |\n| --- | --- | --- |\n'
printf '| infralint | %.3f s | %s MiB |\n' "$il" "$il_mem"
printf '| checkov | %.3f s | %s MiB |\n' "$ck" "$ck_mem"
printf '\nratio (checkov / infralint): %.0fx\n' "$(echo "$ck / $il" | bc -l)"
