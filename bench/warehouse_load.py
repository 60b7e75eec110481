"""Benchmark: loading extracted articles into the warehouse, pantau's set-based merge against a
naive row-by-row INSERT (inside one transaction), same articles, same machine, same run.

    python bench/warehouse_load.py [--articles 100000]

Each variant runs in its own process so its peak memory (max RSS) is its own. pantau's figure is
the load transaction (merge into articles/pages/crawl_runs); the near-duplicate clustering and the
full-text index rebuild that follow in the nightly load are timed and printed separately.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import SOURCES, articles  # noqa: E402


def prepared_synthetic(n: int) -> tuple[Any, list[Any]]:
    """A PreparedLoad of ``n`` synthetic extracted articles, and the sources they come from."""
    from core.config import Source
    from extract.staged import ExtractedPage, content_hash
    from warehouse.batch import BatchFile
    from warehouse.crawl_runs import OutletLoad
    from warehouse.loader import PreparedLoad

    sources = [Source(name=s, url=f"https://{s}.example/", feeds=(f"https://{s}.example/rss",))
               for s in SOURCES]
    fetched = "2026-11-28T19:00:00+00:00"
    batch = BatchFile()
    outlets = {s: OutletLoad(s) for s in SOURCES}
    for art in articles(n):
        data = {**art, "canonical_url": art["url"], "updated_at": None, "language": "id",
                "site_name": art["source"], "dateline": "JAKARTA"}
        batch.add(ExtractedPage(
            source=art["source"], url=art["url"], final_url=art["url"], status=200,
            fetched_at=fetched, kind="article", error=None, article=data,
            canonical_url=art["url"], content_hash=content_hash(data), archive=None,
        ))
        outlets[art["source"]].pages += 1
    return PreparedLoad(run_id="bench", outlets=outlets, batch=batch), sources


def load_synthetic(n: int, db: Path) -> Any:
    """A warehouse at ``db`` holding ``n`` synthetic articles (derived data not yet built)."""
    from warehouse.db import connect_writer
    from warehouse.loader import write_load

    prepared, sources = prepared_synthetic(n)
    con = connect_writer(db)
    write_load(con, prepared, sources, refresh_derived=False)
    return con


def run_pantau(n: int, db: Path) -> dict[str, float]:
    from warehouse.db import connect_writer, transaction
    from warehouse.dedup import update_clusters
    from warehouse.fts import refresh_index
    from warehouse.loader import write_load

    prepared, sources = prepared_synthetic(n)
    con = connect_writer(db)
    started = time.perf_counter()
    summary = write_load(con, prepared, sources, refresh_derived=False)
    load_s = time.perf_counter() - started
    assert summary.new_articles == n, summary.new_articles
    started = time.perf_counter()
    with transaction(con):
        update_clusters(con)
    cluster_s = time.perf_counter() - started
    started = time.perf_counter()
    with transaction(con):
        refresh_index(con)
    fts_s = time.perf_counter() - started
    con.close()
    return {"load_s": load_s, "cluster_s": cluster_s, "fts_s": fts_s}


def run_naive(n: int, db: Path) -> dict[str, float]:
    from warehouse.db import connect_writer

    rows = list(articles(n))
    con = connect_writer(db)
    started = time.perf_counter()
    con.execute("BEGIN TRANSACTION")
    for i, art in enumerate(rows):
        con.execute(
            "INSERT INTO articles (id, source, url, canonical_url, title, text, authors, "
            "published_at, published_at_local, section, tags, language, site_name, dateline, "
            "first_seen_at, last_seen_at, content_hash, version, run_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'id', ?, 'JAKARTA', ?, ?, ?, 1, 'bench')",
            [f"a{i}", art["source"], art["url"], art["url"], art["title"], art["text"],
             art["authors"], art["published_at"], art["published_at"], art["section"],
             art["tags"], art["source"], "2026-11-28T19:00:00+00:00",
             "2026-11-28T19:00:00+00:00", str(i)],
        )
    con.execute("COMMIT")
    load_s = time.perf_counter() - started
    con.close()
    return {"load_s": load_s}


def child(variant: str, n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        result = run_pantau(n, db) if variant == "pantau" else run_naive(n, db)
    result["max_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--child", choices=["pantau", "naive"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.articles)
        return
    results = {}
    for variant in ("pantau", "naive"):
        out = subprocess.run([sys.executable, __file__, "--child", variant, "--articles",
                              str(args.articles)], capture_output=True, text=True, check=True)
        results[variant] = json.loads(out.stdout.strip().splitlines()[-1])
    n = args.articles
    p, b = results["pantau"], results["naive"]
    print(f"warehouse load, {n:,} extracted articles (python bench/warehouse_load.py "
          f"--articles {n})")
    print(f"  {'variant':<34} {'seconds':>8} {'articles/s':>11} {'peak RSS MiB':>13}")
    print(f"  {'pantau (set-based merge)':<34} {p['load_s']:8.2f} {n / p['load_s']:11,.0f} "
          f"{p['max_rss_mib']:13.0f}")
    print(f"  {'baseline (row-by-row INSERT)':<34} {b['load_s']:8.2f} {n / b['load_s']:11,.0f} "
          f"{b['max_rss_mib']:13.0f}")
    print(f"  speed-up: {b['load_s'] / p['load_s']:.1f}x (target >= 20x)")
    print(f"  then, in the same nightly transaction: near-duplicate clustering "
          f"{p['cluster_s']:.2f} s, full-text index rebuild {p['fts_s']:.2f} s")


if __name__ == "__main__":
    main()
