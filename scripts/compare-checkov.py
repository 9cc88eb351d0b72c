#!/usr/bin/env python3
"""Compare infralint's Terraform findings with Checkov's, rule by rule, on one directory.

    scripts/compare-checkov.py [DIR] [--checkov-json FILE] [--bin PATH] [--details RULE]

DIR defaults to ../shared/bench-corpus/terraform. Checkov is run (`checkov -d DIR --framework
terraform -o json --quiet --compact`) unless --checkov-json gives a saved report. infralint is
the release binary (target/release/infralint) unless --bin says otherwise; it runs with every
rule enabled, opt-in ones included, so that each alias has something to compare with.

For every infralint rule with Checkov aliases (`infralint rules --format json`), it prints our
finding count, Checkov's failed count for the aliased check IDs, and how many resources both,
only we, or only Checkov flagged. Resources are matched on (file, resource type.name): module
prefixes and instance keys are dropped from our addresses because Checkov reports each file on
its own. --details RULE lists the resources on which the two disagree.
"""

import argparse
import json
import os
import re
import subprocess
import sys
from collections import defaultdict


def run_json(cmd, cwd=None):
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if not out.stdout.strip():
        sys.exit(f"{cmd[0]} printed nothing (exit {out.returncode}): {out.stderr[:400]}")
    return json.loads(out.stdout)


def resource_key(address):
    """`module.a.aws_x.y["k"]` -> `aws_x.y`."""
    parts = re.sub(r"\[[^\]]*\]", "", address or "").split(".")
    while len(parts) > 2 and parts[0] == "module":
        parts = parts[2:]
    return ".".join(parts[:2])


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("dir", nargs="?", default=os.path.join(root, "../shared/bench-corpus/terraform"))
    p.add_argument("--checkov-json")
    p.add_argument("--bin", default=os.path.join(root, "target/release/infralint"))
    p.add_argument("--details", action="append", default=[])
    args = p.parse_args()
    target = os.path.abspath(args.dir)

    rules = run_json([args.bin, "rules", "--format", "json"])
    ours = run_json(
        [args.bin, "check", ".", "--format", "json", "--select", "ALL", "--fail-on", "critical"],
        cwd=target,
    )
    if args.checkov_json:
        with open(args.checkov_json) as f:
            checkov = json.load(f)
    else:
        checkov = run_json(
            ["checkov", "-d", target, "--framework", "terraform", "-o", "json", "--quiet", "--compact"]
        )
    if isinstance(checkov, list):  # one report per framework
        checkov = next(r for r in checkov if r.get("check_type") == "terraform")

    theirs = defaultdict(set)  # check id -> {(file, resource)}
    for c in checkov["results"]["failed_checks"]:
        theirs[c["check_id"]].add((c["file_path"].lstrip("/"), resource_key(c["resource"])))
    mine = defaultdict(set)
    counts = defaultdict(int)
    for f in ours["findings"]:
        counts[f["rule_id"]] += 1
        mine[f["rule_id"]].add((f["file"].removeprefix("./"), resource_key(f.get("address"))))

    print("| Rule | Checkov IDs | ours (findings) | Checkov (failed) | both | only ours | only Checkov |")
    print("|---|---|---:|---:|---:|---:|---:|")
    totals = [0, 0, 0, 0, 0]
    mapped = set()
    for r in rules:
        ckv = [a for a in r["aliases"] if a.startswith(("CKV_AWS_", "CKV2_AWS_"))]
        if not ckv:
            continue
        mapped.update(ckv)
        theirs_r = set().union(*(theirs.get(c, set()) for c in ckv))
        failed = sum(len([x for x in checkov["results"]["failed_checks"] if x["check_id"] == c]) for c in ckv)
        both = mine[r["id"]] & theirs_r
        row = [counts[r["id"]], failed, len(both), len(mine[r["id"]] - theirs_r), len(theirs_r - mine[r["id"]])]
        totals = [a + b for a, b in zip(totals, row)]
        print(f"| {r['id']} | {', '.join(ckv)} | " + " | ".join(map(str, row)) + " |")
        if r["id"] in args.details:
            for key in sorted(mine[r["id"]] - theirs_r):
                print(f"|   only ours: {key[0]} {key[1]} | | | | | | |")
            for key in sorted(theirs_r - mine[r["id"]]):
                print(f"|   only Checkov: {key[0]} {key[1]} | | | | | | |")
    print("| **total** | | " + " | ".join(map(str, totals)) + " |")

    unmapped = sorted(
        ((cid, len(v)) for cid, v in theirs.items() if cid not in mapped and cid.startswith("CKV")),
        key=lambda x: -x[1],
    )
    print(f"\nCheckov checks with failures and no infralint alias ({len(unmapped)}):")
    print(", ".join(f"{cid} {n}" for cid, n in unmapped))
    ours_only = sorted(
        (rid, n) for rid, n in counts.items()
        if not any(a.startswith("CKV") for r in rules if r["id"] == rid for a in r["aliases"])
    )
    print(f"\ninfralint rules with findings and no Checkov alias ({len(ours_only)}):")
    print(", ".join(f"{rid} {n}" for rid, n in ours_only))


if __name__ == "__main__":
    main()
