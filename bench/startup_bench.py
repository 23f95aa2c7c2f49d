"""Start-up cost: `import ember` and a first `SELECT 1` in fresh processes.

    python bench/startup_bench.py [--runs N]

Prints the median of N fresh-process timings (target: well under a second).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

SNIPPET = r"""
import time
t0 = time.perf_counter()
import ember
t1 = time.perf_counter()
from ember import SparkSession
spark = SparkSession.builder.getOrCreate()
spark.sql("SELECT 1").collect()
t2 = time.perf_counter()
print(f"{t1 - t0:.4f} {t2 - t0:.4f}")
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    imports, firsts = [], []
    for _ in range(args.runs):
        out = subprocess.run([sys.executable, "-c", SNIPPET], capture_output=True, text=True,
                             check=True).stdout.split()
        imports.append(float(out[0]))
        firsts.append(float(out[1]))
    print(f"import ember            median {statistics.median(imports) * 1000:7.1f} ms")
    print(f"import + first SELECT 1 median {statistics.median(firsts) * 1000:7.1f} ms "
          f"({args.runs} fresh processes)")


if __name__ == "__main__":
    main()
