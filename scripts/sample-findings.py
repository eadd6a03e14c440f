#!/usr/bin/env python3
"""Samples findings of one rule family from a `shipshape lint --format json`
document, printed with their source lines, for judging by hand.

    ls ../shared/corpus | sed 's|^|../shared/corpus/|' \
        | xargs -s 1900000 target/release/shipshape lint --format json > corpus.json
    python3 scripts/sample-findings.py corpus.json secret [--n 25] [--seed 2026]

FAMILY is a mission family (scripts/families.json) or a comma-separated
list of rule ids (`BP002,BP003`); with --per-rule, N findings of each rule.
"""
import argparse
import json
import os
import random

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "families.json")) as _f:
    FAMILIES = json.load(_f)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("report")
    ap.add_argument("family", help="a family (" + ", ".join(sorted(FAMILIES)) + ") or rule ids, comma-separated")
    ap.add_argument("--n", type=int, default=25)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--per-rule", action="store_true", help="sample N of each rule")
    args = ap.parse_args()
    with open(args.report) as f:
        doc = json.load(f)
    rules = FAMILIES.get(args.family) or args.family.split(",")
    found = [d for d in doc["diagnostics"] if d["rule"] in rules]
    random.seed(args.seed)
    if args.per_rule:
        found = [
            d
            for rule in rules
            for d in (lambda ds: random.sample(ds, min(args.n, len(ds))))(
                [d for d in found if d["rule"] == rule]
            )
        ]
    else:
        found = random.sample(found, min(args.n, len(found)))
    sources = {}
    for i, d in enumerate(found, 1):
        path = d["path"]
        if path not in sources:
            with open(path, errors="replace") as f:
                sources[path] = f.read().split("\n")
        lines = sources[path]
        line = d["start"]["line"]
        print(f"#{i} {d['rule']} {path.split('/')[-1]}:{line}")
        print(f"   {d['message'][:200]}")
        for k in range(max(0, line - 2), min(len(lines), d["end"]["line"] + 1)):
            mark = ">" if k + 1 == line else " "
            print(f"   {mark} {lines[k][:220]}")


if __name__ == "__main__":
    main()
