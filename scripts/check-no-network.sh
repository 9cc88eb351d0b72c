#!/usr/bin/env bash
# Shows with strace that a scan makes no network system call and starts no process: runs
# `infralint check`, `inspect` and `cost` on DIR under `strace -f` and fails if any socket,
# connect, sendto/sendmsg or execve (other than the initial one) appears.
# Usage: scripts/check-no-network.sh [DIR]   (DIR defaults to ../shared/bench-corpus)
# Needs: strace. tests/isolation.rs checks the same properties without strace.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-$root/../shared/bench-corpus}"
[ -d "$dir" ] || { echo "no such directory: $dir" >&2; exit 2; }
command -v strace >/dev/null || { echo "strace not found" >&2; exit 2; }
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$root/target}/release/infralint"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
for cmd in check inspect cost; do
  strace -f -qq -o "$log" -e trace=network,process "$bin" "$cmd" "$dir" >/dev/null 2>&1 || true
  net=$(grep -cE '(socket|connect|sendto|sendmsg|bind|listen)\(' "$log" || true)
  execs=$(grep -cE 'execve\(' "$log" || true)
  threads=$(grep -cE 'clone3?\(' "$log" || true)
  printf '%-8s network calls: %s, execve: %s (1 = infralint itself), threads started: %s\n' \
    "$cmd" "$net" "$execs" "$threads"
  if [ "$net" -ne 0 ] || [ "$execs" -ne 1 ]; then
    grep -E '(socket|connect|sendto|sendmsg|bind|listen|execve)\(' "$log" >&2
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "ok: no network system call, no process started"
exit "$status"
