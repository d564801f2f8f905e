#!/usr/bin/env python3
"""Alternating runs of two or more bindery binaries on one document: the way to tell whether a
change made a build faster, where single `make bench` runs drift by several per cent with the
machine. Prints each binary's median wall time, median CPU time (user + system, from wait4)
and median peak memory.

    python3 bench/ab.py [--runs N] [--doc FILE] BIN_A BIN_B ...

The document defaults to the shared corpus's one-file Rust book; each binary gets one untimed
warm-up run. Nothing else should run meanwhile (a build, the test suite, a fuzzer)."""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bins", nargs="+")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--doc", default=str(ROOT.parent / "shared/corpus/rust-book/book.md"))
    args = ap.parse_args()
    if not Path(args.doc).is_file():
        sys.exit(f"ab: no document at {args.doc} (give one with --doc)")
    results = {b: [] for b in args.bins}
    with tempfile.TemporaryDirectory() as out:
        for i in range(args.runs + 1):
            for b in args.bins:
                start = time.perf_counter()
                p = subprocess.Popen([b, "build", args.doc, "-o", out],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                _, status, usage = os.wait4(p.pid, 0)
                wall = time.perf_counter() - start
                if status != 0:
                    sys.exit(f"ab: {b} failed on {args.doc}")
                if i:
                    results[b].append((wall, usage.ru_utime + usage.ru_stime,
                                       usage.ru_maxrss / 1024))
    for b, r in results.items():
        med = lambda k: statistics.median(x[k] for x in r)
        print(f"{b:40s} wall {med(0):.3f} s  cpu {med(1):.3f} s  peak {med(2):.0f} MB")


if __name__ == "__main__":
    main()
