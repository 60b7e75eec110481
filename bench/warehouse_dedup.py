"""Benchmark: near-duplicate clustering time as the warehouse grows (should be near-linear).

    python bench/warehouse_dedup.py [--sizes 10000,50000,100000]

For each size a fresh warehouse is loaded with synthetic articles (5 % lightly edited copies),
then the whole clustering (sign every article, LSH candidates, verify, components) is timed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from warehouse_load import load_synthetic  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,50000,100000")
    args = parser.parse_args()
    from warehouse.db import transaction
    from warehouse.dedup import update_clusters

    print(f"near-duplicate clustering (python bench/warehouse_dedup.py --sizes {args.sizes})")
    print(f"  {'articles':>9} {'seconds':>8} {'us/article':>11} {'pairs':>7} {'stories>1':>10}")
    for n in (int(x) for x in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            con = load_synthetic(n, Path(tmp) / "b.duckdb")
            started = time.perf_counter()
            with transaction(con):
                summary = update_clusters(con)
            took = time.perf_counter() - started
            con.close()
        print(f"  {n:9,} {took:8.2f} {took / n * 1e6:11.0f} {summary.pairs:7,} "
              f"{summary.clusters:10,}")


if __name__ == "__main__":
    main()
