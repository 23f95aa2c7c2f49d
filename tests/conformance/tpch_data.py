"""TPC-H scale 0.1 data for the tpch/ corpus, generated once with tpchgen-cli into a cache
directory outside the repository."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

TABLES = ("customer", "lineitem", "nation", "orders", "part", "partsupp", "region", "supplier")


def tpch_dir(scale: str = "0.1") -> str:
    base = os.environ.get("EMBER_TPCH_DIR")
    if base:
        return base
    from ember._cache import cache_dir
    return cache_dir("tpch", f"sf{scale}")


def ensure_tpch(scale: str = "0.1") -> str:
    out = tpch_dir(scale)
    if all(os.path.exists(os.path.join(out, f"{t}.parquet")) for t in TABLES):
        return out
    exe = shutil.which("tpchgen-cli") or os.path.join(os.path.dirname(sys.executable),
                                                       "tpchgen-cli")
    tmp = out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    subprocess.run([exe, "parquet", "-s", scale, f"--output-dir={tmp}"], check=True,
                   stdout=subprocess.DEVNULL)
    os.makedirs(out, exist_ok=True)
    for t in TABLES:
        os.replace(os.path.join(tmp, f"{t}.parquet"), os.path.join(out, f"{t}.parquet"))
    shutil.rmtree(tmp, ignore_errors=True)
    return out


def register_tpch(spark, scale: str = "0.1") -> None:
    data = ensure_tpch(scale)
    for t in TABLES:
        spark.read.parquet(os.path.join(data, f"{t}.parquet")).createOrReplaceTempView(t)
