#!/usr/bin/env python3
"""Times `cat` and one or more shipshape binaries over the same files, runs
interleaved so that load drifts hit every command alike, and prints each
median and its ratio to `cat`.

    python3 scripts/wall-vs-cat.py [--runs 7] [--files LIST] \
        NAME=BINARY[:EXTRA ARGS] ...

    RAYON_NUM_THREADS=1 python3 scripts/wall-vs-cat.py \
        base=/tmp/base/shipshape \
        head='target/release/shipshape:--ignore STY,BP,COR002,EFF002,EFF003,EFF004,SEC019'

Each binary runs `lint --isolated --format json [EXTRA ARGS] FILES...`.
FILES are the lines of --files (default: every file of ../shared/corpus).
"""
import argparse
import os
import statistics
import subprocess
import sys
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--files", help="a file listing the Dockerfiles, one per line")
    ap.add_argument("binaries", nargs="+", help="NAME=BINARY[:EXTRA ARGS]")
    args = ap.parse_args()
    if args.files:
        with open(args.files) as f:
            files = [line.strip() for line in f if line.strip()]
    else:
        corpus = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "corpus")
        files = sorted(os.path.join(corpus, n) for n in os.listdir(corpus))
    commands = {"cat": ["cat", *files]}
    for spec in args.binaries:
        name, _, rest = spec.partition("=")
        binary, _, extra = rest.partition(":")
        if not name or not binary:
            ap.error(f"expected NAME=BINARY[:EXTRA ARGS], got {spec!r}")
        commands[name] = [binary, "lint", "--isolated", "--format", "json", *extra.split(), *files]
    times = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            start = time.perf_counter()
            done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            times[name].append(time.perf_counter() - start)
            if done.returncode not in (0, 1):
                sys.exit(f"{name} failed ({done.returncode}): {done.stderr.decode()[:500]}")
    cat = statistics.median(times["cat"])
    print(f"{len(files)} files, {args.runs} interleaved runs, "
          f"RAYON_NUM_THREADS={os.environ.get('RAYON_NUM_THREADS', 'unset')}")
    for name, ts in times.items():
        m = statistics.median(ts)
        runs = " ".join(f"{t * 1000:.0f}" for t in ts)
        print(f"{name:12} median {m * 1000:8.1f} ms  {m / cat:5.2f}x cat   runs (ms): {runs}")


if __name__ == "__main__":
    main()
