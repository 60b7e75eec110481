"""Benchmark: full-text search latency over a large warehouse, pantau's index (words and their
Indonesian stems, BM25) against the same queries answered without it (a scan of the text with
regular expressions: the fallback of a warehouse without index), plus `pantau search` end to end
(a fresh process: start-up, open read-only, query, print).

    python bench/warehouse_search.py [--articles 100000] [--queries 30]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import WORDS  # noqa: E402
from warehouse_load import load_synthetic  # noqa: E402


def timed(fn, *args, **kwargs) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=30)
    args = parser.parse_args()
    from warehouse import search
    from warehouse.db import connect_reader, transaction
    from warehouse.fts import refresh_index

    rng = random.Random(3)
    queries = [" ".join(rng.sample(WORDS, rng.choice([1, 2, 2, 3]))) for _ in range(args.queries)]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "b.duckdb"
        con = load_synthetic(args.articles, db)
        started = time.perf_counter()
        with transaction(con):
            refresh_index(con)
        index_s = time.perf_counter() - started
        con.close()
        reader = connect_reader(db)
        fts = [timed(search.search_articles, reader, q, limit=10) for q in queries]
        with mock.patch.object(search, "has_index", return_value=False):
            ilike = [timed(search.search_articles, reader, q, limit=10) for q in queries]
        reader.close()
        cli = []
        for q in queries[:5]:
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "pantau", "--db", str(db), "search", q],
                           check=True, capture_output=True, env=os.environ.copy())
            cli.append(time.perf_counter() - started)
    n = args.articles
    print(f"search over {n:,} articles, {len(queries)} queries "
          f"(python bench/warehouse_search.py --articles {n} --queries {args.queries})")
    print(f"  index build (inside the load transaction): {index_s:.2f} s")
    print(f"  median latency, pantau BM25 index:     {statistics.median(fts) * 1000:8.1f} ms")
    print(f"  median latency, baseline text scan:    {statistics.median(ilike) * 1000:8.1f} ms")
    print(f"  speed-up: {statistics.median(ilike) / statistics.median(fts):.1f}x")
    print(f"  `pantau search` end to end, median of 5: {statistics.median(cli):.2f} s "
          "(target < 1 s)")


if __name__ == "__main__":
    main()
