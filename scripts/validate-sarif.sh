#!/usr/bin/env bash
# Validates SARIF files with Microsoft's SARIF Multitool (GitHub and SARIF rule sets).
# Fails on any error or warning; notes (e.g. "rule names should be PascalCase") are allowed.
#
#   scripts/validate-sarif.sh report.sarif [more.sarif ...]
#
# Needs Node.js/npm. The Multitool is installed into a temporary directory that is removed
# on exit; set SARIF_MULTITOOL to the path of an installed `Sarif.Multitool` to skip that.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 FILE.sarif..." >&2
  exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

tool="${SARIF_MULTITOOL:-}"
if [ -z "$tool" ]; then
  if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
    echo "$0: error: Node.js and npm are needed to install the SARIF Multitool" >&2
    exit 1
  fi
  if ! (cd "$work" && npm install --silent --no-audit --no-fund @microsoft/sarif-multitool-linux >/dev/null); then
    echo "$0: error: npm could not install @microsoft/sarif-multitool-linux; SARIF NOT validated" >&2
    exit 1
  fi
  tool="$work/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
  chmod u+x "$tool"
fi

status=0
for file in "$@"; do
  out="$work/$(basename "$file").validation.sarif"
  # --level picks which findings of the validator count; "Error;Warning" leaves notes out.
  if ! "$tool" validate --rule-kind "Gh;Sarif" --level "Error;Warning" --output "$out" "$file" >/dev/null; then
    echo "$file: the Multitool could not validate the file" >&2
    status=1
    continue
  fi
  count="$(node -e '
    const log = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const results = log.runs.flatMap(r => r.results || []);
    for (const r of results) {
      console.error(`${r.level || "warning"} ${r.ruleId}: ${JSON.stringify(r.message.arguments || r.message.text || "")}`);
    }
    console.log(results.length);
  ' "$out")"
  if [ "$count" != "0" ]; then
    echo "$file: $count validation problem(s)" >&2
    status=1
  else
    echo "$file: valid (no errors, no warnings)"
  fi
done
exit "$status"
