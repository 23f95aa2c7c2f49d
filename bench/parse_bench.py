"""Parser speed: grammar load in a fresh process, and parse time per benchmark query.

    python bench/parse_bench.py [--runs N] [--loads N]

- load: importing the parser and `get_parser()` in fresh processes with the parse tables
  already cached on disk (target: under 150 ms), and the first parse after it (states and
  lexers are decoded on first use, so the first statement pays for the ones it visits);
- parse: for each of the 22 TPC-H and 99 TPC-DS queries (files holding two statements are
  split the way the spark-sql CLI splits them), the best of N parses; the median over the
  queries is reported per suite (target: under 5 ms for TPC-DS).
"""
from __future__ import annotations

import argparse
import glob
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(os.path.dirname(os.path.dirname(HERE)), "shared")

LOAD_SNIPPET = r"""
import sys, time
t0 = time.perf_counter()
from ember.parser.grammar import get_parser
get_parser()
t1 = time.perf_counter()
from ember.parser import parse_statement
parse_statement(open(sys.argv[1]).read())
print(f"{t1 - t0:.5f} {time.perf_counter() - t1:.5f}")
"""


def load_times(n: int):
    """(load, first parse of TPC-H q1) in fresh processes, after one warm-up process that
    writes the table cache if it is missing."""
    q1 = os.path.join(SHARED, "tpch", "queries", "q1.sql")
    cmd = [sys.executable, "-c", LOAD_SNIPPET, q1]
    subprocess.run(cmd, check=True, capture_output=True)
    runs = [subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.split()
            for _ in range(n)]
    return [float(r[0]) for r in runs], [float(r[1]) for r in runs]


def query_statements(suite: str):
    """(name, [statement, ...]) for each query file of a suite."""
    from ember.parser import split_statements
    files = sorted(glob.glob(os.path.join(SHARED, suite, "queries", "*.sql")),
                   key=lambda p: int("".join(ch for ch in os.path.basename(p) if ch.isdigit())
                                     or 0))
    for path in files:
        with open(path, encoding="utf-8") as f:
            yield os.path.basename(path), split_statements(f.read())


def parse_times(suite: str, runs: int):
    from ember.parser import parse_statement
    times = {}
    for name, statements in query_statements(suite):
        best = float("inf")
        for _ in range(runs):
            t0 = time.perf_counter()
            for s in statements:
                parse_statement(s)
            best = min(best, time.perf_counter() - t0)
        times[name] = best
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5, help="parses per query (best is kept)")
    ap.add_argument("--loads", type=int, default=7, help="fresh processes for the load time")
    args = ap.parse_args()
    loads, firsts = load_times(args.loads)
    print(f"grammar load (cached, fresh process)  median {statistics.median(loads) * 1000:6.1f} ms"
          f"  (target < 150 ms; {args.loads} processes)")
    print(f"first parse in that process (TPC-H q1) median {statistics.median(firsts) * 1000:6.1f} ms")
    from ember.parser.grammar import get_parser
    get_parser()
    for suite, label in (("tpch", "TPC-H"), ("tpcds", "TPC-DS")):
        times = parse_times(suite, args.runs)
        values = sorted(times.values())
        slowest = max(times, key=times.get)
        print(f"{label:6s} parse per query  median {statistics.median(values) * 1000:6.2f} ms  "
              f"max {values[-1] * 1000:6.2f} ms ({slowest})  over {len(values)} queries"
              + ("  (target median < 5 ms)" if suite == "tpcds" else ""))


if __name__ == "__main__":
    main()
