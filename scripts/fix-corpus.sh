#!/usr/bin/env bash
# Fixes a copy of ../shared/corpus with `lint --fix` (and, separately,
# `--fix --unsafe-fixes`) and measures the result:
# - the findings that carry a fix, by rule and applicability;
# - the files each mode changes;
# - that every fixed file re-parses with no syntax error the original lacked
#   (SYN001 findings per file, before and after) and that a second --fix
#   changes nothing;
# - how many fixed files bkparse.py (an approximate BuildKit acceptance
#   oracle) accepts, against the originals.
# Usage: scripts/fix-corpus.sh [SHIPSHAPE] (default: target/release/shipshape)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-target/release/shipshape}")
shared=$(realpath ../shared)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== findings that carry a fix, by rule and applicability"
(cd "$shared/corpus" && "$bin" lint --isolated --exit-zero --format json -- *) > "$work/before.json"
python3 - "$work/before.json" <<'PY'
import json, sys, collections
doc = json.load(open(sys.argv[1]))
by = collections.Counter((d["rule"], d["fix"]["applicability"]) for d in doc["diagnostics"] if d["fix"])
files = collections.defaultdict(set)
for d in doc["diagnostics"]:
    if d["fix"]: files[d["rule"]].add(d["path"])
total = sum(by.values())
print(f"{total} of {len(doc['diagnostics'])} findings carry a fix")
for (rule, app), n in sorted(by.items()):
    print(f"  {rule:7} {app:12} {n:6} findings in {len(files[rule]):5} files")
PY

for mode in safe unsafe; do
    flags=(--fix)
    [ "$mode" = unsafe ] && flags+=(--unsafe-fixes)
    dir="$work/$mode"
    cp -r "$shared/corpus" "$dir"
    chmod -R u+w "$dir"
    echo "== lint ${flags[*]}"
    (cd "$dir" && "$bin" lint --isolated --exit-zero --quiet --format gnu "${flags[@]}" -- * > /dev/null 2> "$work/$mode.err") || true
    changed=$({ diff -rq "$shared/corpus" "$dir" || true; } | wc -l)
    echo "files changed: $changed of $(ls "$shared/corpus" | wc -l)"
    echo "fixes rolled back: $(grep -c 'fix not applied' "$work/$mode.err" || true); files that did not settle: $(grep -c 'still change' "$work/$mode.err" || true)"
    # A second --fix changes nothing.
    cp -r "$dir" "$work/$mode.again"
    (cd "$work/$mode.again" && "$bin" lint --isolated --exit-zero --quiet --format gnu "${flags[@]}" -- * > /dev/null 2>&1) || true
    echo "files a second fix changes: $({ diff -rq "$dir" "$work/$mode.again" || true; } | wc -l)"
    # No syntax error the original lacked: SYN001 findings per file.
    syn() { { (cd "$1" && "$bin" lint --isolated --exit-zero --select SYN001 --format gnu -- * 2>/dev/null) || true; } | cut -d: -f1 | sort | uniq -c; }
    syn "$shared/corpus" > "$work/syn-before"
    syn "$dir" > "$work/syn-after"
    python3 - "$work/syn-before" "$work/syn-after" <<'PY'
import sys
def read(p):
    out = {}
    for line in open(p):
        n, f = line.split(None, 1)
        out[f.strip()] = int(n)
    return out
b, a = read(sys.argv[1]), read(sys.argv[2])
worse = [f for f in a if a[f] > b.get(f, 0)]
print(f"files with more syntax errors after fixing: {len(worse)}", *worse[:10])
PY
    # bkparse.py acceptance, fixed files against the originals.
    { diff -rq "$shared/corpus" "$dir" || true; } | awk '{print $2}' | xargs -r -n1 basename > "$work/$mode.changed"
    sed "s|^|$shared/corpus/|" "$work/$mode.changed" > "$work/orig.list"
    sed "s|^|$dir/|" "$work/$mode.changed" > "$work/fixed.list"
    python3 "$shared/tools/bkparse.py" "$work/orig.list" "$work/orig.tsv" /dev/null > /dev/null
    python3 "$shared/tools/bkparse.py" "$work/fixed.list" "$work/fixed.tsv" /dev/null > /dev/null
    echo "bkparse.py accepts, of the changed files: originals $(grep -c $'\taccept' "$work/orig.tsv" || true), fixed $(grep -c $'\taccept' "$work/fixed.tsv" || true) of $(wc -l < "$work/orig.list")"
done
