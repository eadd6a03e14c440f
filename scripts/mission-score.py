#!/usr/bin/env python3
"""Scores shipshape on the labelled mission cases.

Usage: scripts/mission-score.py CASES_DIR [--bin target/release/shipshape] [-- score.py args]

Lints every CASES_DIR/*.Dockerfile with `--format json`, maps rule ids to
the four mission families and runs the cases' scorer (score.py, next to
the cases' parent directory unless --scorer says otherwise).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "families.json")) as _f:
    FAMILIES = json.load(_f)
FAMILY_OF = {rule: fam for fam, rules in FAMILIES.items() for rule in rules}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cases")
    ap.add_argument("--bin", default="target/release/shipshape")
    ap.add_argument("--scorer")
    ap.add_argument("--findings", help="also write the findings JSONL here")
    ap.add_argument("rest", nargs="*")
    args = ap.parse_args()
    files = sorted(
        os.path.join(args.cases, f) for f in os.listdir(args.cases) if f.endswith(".Dockerfile")
    )
    proc = subprocess.run(
        [args.bin, "lint", "--format", "json", "--exit-zero", *files],
        capture_output=True, text=True,
    )
    if proc.returncode != 0:
        sys.exit(f"shipshape failed ({proc.returncode}): {proc.stderr}")
    doc = json.loads(proc.stdout)
    lines = []
    for d in doc["diagnostics"]:
        fam = FAMILY_OF.get(d["rule"])
        if fam:
            lines.append(json.dumps({
                "file": os.path.basename(d["path"]),
                "line": d["start"]["line"],
                "category": fam,
                "rule": d["rule"],
            }))
    out = args.findings or tempfile.mkstemp(suffix=".jsonl")[1]
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    scorer = args.scorer or os.path.join(os.path.dirname(os.path.abspath(args.cases)), "score.py")
    sys.exit(subprocess.run([sys.executable, scorer, args.cases, out, *args.rest]).returncode)


if __name__ == "__main__":
    main()
