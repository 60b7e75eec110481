"""Benchmark: `pantau serve` page latency at scale: the search page and the attention chart, over
HTTP against the real server, beside the bare library calls they wrap (baseline, same run, same
queries, a connection already open: what the page adds is HTTP, a fresh read-only connection,
story grouping, the chart and the template).

    python bench/serve_speed.py [--articles 100000] [--queries 20] [--rounds 3] [--db PATH]

The warehouse is built with the bulk path of bench/history_scaling.py (``build_history``: 34
outlets, a year of history, article text drawn from a 60,000-word Zipf-like vocabulary as
bench/fts_incremental.py draws it, the real full-text index, crawl_runs and story clusters), and
the queries are that benchmark's: two-word searches of a frequent word and a rarer one
(``fts_incremental.queries``, same seed). The share of the articles each query matches is printed
(min, median, max), since it decides what ranking costs. Target: p95 < 300 ms for each page.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fts_incremental import queries as two_word_queries  # noqa: E402
from fts_incremental import vocabulary  # noqa: E402
from history_scaling import build_history  # noqa: E402


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def build(n: int, db: Path) -> float:
    started = time.perf_counter()
    build_history(db, n)
    return time.perf_counter() - started


def start_server(db: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    exe = Path(sys.executable).with_name("pantau")
    with log.open("wb") as out:
        proc = subprocess.Popen([str(exe), "--db", str(db), "serve", "--port", "0"],
                                stdout=subprocess.DEVNULL, stderr=out)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", log.read_text("utf-8", "replace"))
        if match:
            return proc, f"http://127.0.0.1:{match.group(1)}"
        time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"pantau serve did not start: {log.read_text('utf-8', 'replace')}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", type=Path,
                        help="keep the warehouse here (built when missing, reused otherwise)")
    args = parser.parse_args()
    import httpx

    from pantau.web.params import Filters
    from pantau.web.views import ATTENTION_SQL, matching_ids
    from query import parse_query
    from warehouse.db import connect_reader
    from warehouse.search import search_articles

    queries = two_word_queries(vocabulary(), random.Random(5), args.queries)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "serve.duckdb"
        build_s = build(args.articles, db) if not db.exists() else 0.0
        con = connect_reader(db)
        search_articles(con, "banjir")  # warm the connection (extension, catalog)
        base_search: list[float] = []
        base_attention: list[float] = []
        for _ in range(args.rounds):
            for q in queries:
                node = parse_query(q)
                base_search.append(timed(lambda n=node: search_articles(con, n, limit=50)))

                def bare_attention(n=node) -> object:  # type: ignore[no-untyped-def]
                    ids, params = matching_ids(con, n, Filters())
                    return con.execute(ATTENTION_SQL.format(ids=ids),
                                       [*params, 10, 10]).fetchall()

                base_attention.append(timed(bare_attention))
        total = con.execute("SELECT count(*) FROM articles").fetchone()[0]  # type: ignore[index]
        shares: list[float] = []
        for q in queries:
            ids, params = matching_ids(con, parse_query(q), Filters())
            row = con.execute(f"SELECT count(*) FROM ({ids})", params).fetchone()
            shares.append((row[0] if row else 0) / total)
        con.close()
        log = Path(tmp) / "serve.log"
        proc, base = start_server(db, log)
        try:
            pages: dict[str, list[float]] = {"search": [], "attention": []}
            with httpx.Client(base_url=base, timeout=60) as client:
                client.get("/outlets").raise_for_status()  # warm up
                for _ in range(args.rounds):
                    for q in queries:
                        for page in pages:
                            started = time.perf_counter()
                            answer = client.get(f"/{page}", params={"q": q})
                            pages[page].append(time.perf_counter() - started)
                            if answer.status_code != 200:
                                raise SystemExit(f"/{page}?q={q}: {answer.status_code}\n"
                                                 + log.read_text("utf-8", "replace")[-3000:])
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    n = total
    print(f"pantau serve over {n:,} articles, {len(queries)} queries x {args.rounds} rounds "
          f"(python bench/serve_speed.py --articles {n} --queries {args.queries} "
          f"--rounds {args.rounds})" + (f"; warehouse built in {build_s:.0f} s" if build_s else ""))
    rows = [("search page (HTTP)", pages["search"]),
            ("  baseline: search_articles, open connection", base_search),
            ("attention chart page (HTTP)", pages["attention"]),
            ("  baseline: the attention SQL, open connection", base_attention)]
    # the baselines are the pages' own SQL (and search_articles) on a connection already open
    print(f"  the queries match {min(shares):.2%} to {max(shares):.2%} of the articles (median "
          f"{statistics.median(shares):.2%}, {min(shares) * n:,.0f} to {max(shares) * n:,.0f} "
          f"articles): two words, a frequent and a rarer one, of a "
          "Zipf-like vocabulary")
    print(f"  {'':48} {'p50 ms':>8} {'p95 ms':>8}")
    for label, values in rows:
        print(f"  {label:48} {statistics.median(values) * 1000:8.1f} {p95(values) * 1000:8.1f}")
    print("  target: p95 < 300 ms per page")


if __name__ == "__main__":
    main()
