"""Does a night cost the same with a year of history behind it? (issue 16)

For each history size (default 10k, 100k and 1M articles) this builds a warehouse through a fast
bulk path, then times ONE night of 5,000 new articles end to end in a child process and reads its
peak RSS, then times 20 two-word searches. One table is printed at the end.

**The bulk path** (how a history of a million articles is built in minutes, not days): the
warehouse is migrated as usual (``connect_writer``), then every history table is filled by
``INSERT … SELECT`` inside DuckDB, 50,000 articles per statement, nothing row by row in Python.
Article text is drawn as ``bench/fts_incremental.py`` draws it (a 60,000-word vocabulary with
Indonesian affixes, Zipf-like, 300 words of text and 8 of title, a hash of article and position
deciding each word); ids are SHA-1 of the canonical URL exactly as the loader makes them, so the
night can change history articles. The search index is written from the same draws as integers
(word rank = term id), as that benchmark does it (checked identical to ``refresh_index`` there
with ``--check``); ``pages``, ``crawl_runs`` (one row per outlet and history night, with the
figures the load records), ``article_signatures``/``article_bands`` (random bands: distinct
stories) and ``alert_scans`` (the history was matched on earlier nights) follow from
``articles`` in one statement each.

**The night**: 5,000 page records are staged for the 34 outlets as the crawler writes them, with
their crawl-time extraction (as ``PANTAU_EXTRACT_IN_CRAWL`` does; trafilatura's own speed is
``bench/extract_speed.py``'s subject): 4,500 new articles (about 5 % near-duplicate copies)
and 500 changed versions of history articles. A child process then runs what the nightly DAG
runs on the warehouse machine: the load (stream, merge, crawl_runs, near-duplicate clusters,
search index) in one transaction, outlet health with extraction drops, and the alert match
(``rules.yaml`` of the repo) with delivery to the outbox. Its wall time and peak RSS
(the child's ``VmHWM`` and its children's ``ru_maxrss``) are reported. The build's writes are
flushed to disk (``os.sync``) before the night starts, so the night does not pay for them.

Usage::

    nice .venv/bin/python bench/history_scaling.py [--sizes 10000,100000,1000000]
        [--night 5000] [--dir /var/tmp/pantau-history] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from fts_incremental import (  # noqa: E402
    TEXT_WORDS,
    TITLE_WORDS,
    _words_sql,
    bulk_index,
    queries,
    vocabulary,
)
from synthetic import WORDS, articles  # noqa: E402

OUTLETS = [f"outlet_{i:02d}" for i in range(34)]
NIGHT_RUN = "scheduled__2026-12-01T19:00:00+00:00"
HISTORY_START = datetime(2025, 12, 1, tzinfo=UTC)
PER_NIGHT = 5000  # history articles per history night (crawl_runs rows)
DB_NAME = "pantau.duckdb"


def sources() -> list[Any]:
    from core.config import Source

    return [Source(name=s, url=f"https://{s}.example/", feeds=(f"https://{s}.example/rss",))
            for s in OUTLETS]


# -- the bulk path --------------------------------------------------------------------------


def build_history(db: Path, n: int) -> dict[str, float]:
    """A migrated warehouse at ``db`` holding ``n`` history articles, with their derived data
    and search index (also the warehouse of ``bench/serve_speed.py``)."""
    from alerts.rules import load_rules, ruleset_fingerprint
    from warehouse.crawl_runs import upsert_sources
    from warehouse.db import connect_writer, transaction
    from warehouse.fts import INDEX_SCHEMA, load_fts

    db.parent.mkdir(parents=True, exist_ok=True)
    con = connect_writer(db)
    con.execute("SET memory_limit = '8GB'")  # the bulk build only; nights run as configured
    took: dict[str, float] = {}
    started = time.perf_counter()
    words = vocabulary()
    con.execute("CREATE TEMP TABLE vocab AS SELECT ?::VARCHAR[] AS words, ? AS n",
                [words, len(words)])
    span = 365 * 24 * 3600
    with transaction(con):
        upsert_sources(con, sources())
    step = 50_000
    for first in range(0, n, step):
        count = min(step, n - first)
        with transaction(con):
            con.execute(
                f"""
                INSERT INTO articles (id, source, url, canonical_url, title, text, authors,
                    published_at, published_at_local, section, tags, language, site_name,
                    first_seen_at, last_seen_at, content_hash, version, run_id, cluster_id)
                WITH g AS (
                    SELECT i, $outlets[1 + i % $o] AS source,
                           'https://' || $outlets[1 + i % $o] || '.example/arsip/' || i AS url,
                           $start + to_seconds((i * $span // $n)::BIGINT) AS published_at,
                           'history-' || lpad((i // $per)::VARCHAR, 4, '0') AS run_id,
                           {_words_sql(TITLE_WORDS, 17)} AS title,
                           {_words_sql(TEXT_WORDS, 0)} AS text
                    FROM range($first, $last) t(i), vocab v)
                SELECT substr(sha1(url), 1, 20), source, url, url, title, text,
                       ['Rina Wulandari'], published_at,
                       strftime(published_at AT TIME ZONE 'Asia/Jakarta',
                                '%Y-%m-%dT%H:%M:%S+07:00'),
                       ['Nasional', 'Ekonomi', 'Olahraga', 'Daerah'][1 + i % 4], [], 'id',
                       source, published_at + INTERVAL 1 HOUR, published_at + INTERVAL 1 HOUR,
                       md5(i::VARCHAR), 1, run_id, substr(sha1(url), 1, 20)
                FROM g ORDER BY i
                """,
                {"outlets": OUTLETS, "o": len(OUTLETS), "start": HISTORY_START, "span": span,
                 "n": n, "per": PER_NIGHT, "first": first, "last": first + count})
            # the index from the same word draws as integers (bench/fts_incremental.py), each
            # document named after its article's id as the rows above make it
            bulk_index(con, first, count,
                       "substr(sha1('https://' || $outlets[1 + i % $o] || '.example/arsip/' "
                       "|| i), 1, 20)", {"outlets": OUTLETS, "o": len(OUTLETS)})
    took["rows_s"] = time.perf_counter() - started
    started = time.perf_counter()
    with transaction(con):
        load_fts(con)
        con.execute(f"INSERT INTO {INDEX_SCHEMA}.dict SELECT k, v.words[k], "
                    "stem(v.words[k], 'indonesian') FROM vocab v, range(1, v.n + 1) r(k)")
        con.execute(f"DELETE FROM {INDEX_SCHEMA}.built")
        con.execute(f"INSERT INTO {INDEX_SCHEMA}.built VALUES (now(), ?)", [n - 1])
        con.execute(
            """
            INSERT INTO pages (url, source, final_url, canonical_url, kind, status, attempts,
                content_hash, article_id, first_seen_at, last_fetched_at, run_id)
            SELECT url, source, url, canonical_url, 'article', 200, 1, content_hash, id,
                   first_seen_at, first_seen_at, run_id FROM articles
            """)
        con.execute(
            """
            INSERT INTO crawl_runs (run_id, source, started_at, finished_at, requests, bytes,
                pages_fetched, new_articles, updated_articles, non_articles, errors,
                status_counts, loaded_at, articles_loaded, short_texts, missing_dates,
                written_median_text, written_dated, written_leaky)
            SELECT run_id, source, min(first_seen_at), max(first_seen_at), count(*) + 3,
                   count(*) * 60000, count(*), count(*), 0, 0, 0, '{"200": 1}',
                   max(first_seen_at), count(*), 0, 0, 1900, 1.0, 0.0
            FROM articles GROUP BY run_id, source
            """)
        con.execute(
            """
            INSERT INTO article_signatures
            SELECT id, content_hash, unhex(repeat(md5(id), 64)) FROM articles
            """)
        con.execute(
            """
            INSERT INTO article_bands
            SELECT id, b::TINYINT, (hash(id, b) >> 1)::BIGINT
            FROM articles, range(42) t(b)
            """)
        rules = load_rules(ROOT / "rules.yaml")
        con.execute(
            "INSERT INTO alert_scans SELECT id, content_hash, $r, last_seen_at FROM articles",
            {"r": ruleset_fingerprint(rules)})
    con.execute("CHECKPOINT")
    took["derived_s"] = time.perf_counter() - started
    con.close()
    return took


# -- the night ------------------------------------------------------------------------------


def stage_night(staging: Path, db: Path, n: int) -> None:
    """``n`` page records as the crawler stages them, extraction included: 90 % new articles,
    10 % changed versions of history articles."""
    import duckdb

    from extract.staged import content_hash, extraction_key
    from staging import StagingWriter, write_stats

    keys = {s.name: extraction_key(s.site_options) for s in sources()}
    changed = n // 10
    con = duckdb.connect(str(db), read_only=True)
    try:
        history = con.execute(
            f"SELECT source, url FROM articles USING SAMPLE reservoir({int(changed)} ROWS) "
            "REPEATABLE (7)").fetchall()
    finally:
        con.close()
    fetched = "2026-12-01T19:30:00+00:00"
    writers = {s: StagingWriter(staging, NIGHT_RUN, s) for s in OUTLETS}
    counts = dict.fromkeys(OUTLETS, 0)
    texts = articles(n, seed=11)
    for i, art in enumerate(texts):
        if i < len(history):
            source, url = history[i]
        else:
            source = OUTLETS[i % len(OUTLETS)]
            url = f"https://{source}.example/berita/2026/12/01/{i}"
        data = {**art, "source": source, "url": url, "canonical_url": url,
                "published_at": "2026-12-01T20:15:00+07:00", "updated_at": None,
                "language": "id", "site_name": source, "dateline": "JAKARTA", "editors": []}
        html = ("<html><head><title>" + data["title"] + "</title></head><body><article><p>"
                + data["text"].replace("\n\n", "</p><p>") + "</p></article>"
                + "<nav>" + " ".join(WORDS) * 8 + "</nav></body></html>")
        writers[source].write({
            "type": "page", "source": source, "url": url, "final_url": url, "status": 200,
            "headers": {"content-type": "text/html; charset=utf-8", "etag": f'"{i}"'},
            "fetched_at": fetched, "encoding": "utf-8", "html": html, "discovered_via": "feed",
            "hints": {},
            "extracted": {"key": keys[source], "kind": "article", "error": None,
                          "article": data, "canonical_url": url,
                          "content_hash": content_hash(data)},
        })
        counts[source] += 1
    for source, writer in writers.items():
        writer.close()
        write_stats(staging, NIGHT_RUN, source, {
            "source": source, "run_id": NIGHT_RUN, "started_at": "2026-12-01T19:00:00+00:00",
            "finished_at": "2026-12-01T19:30:00+00:00", "requests": counts[source] + 3,
            "bytes": counts[source] * 60000, "pages": counts[source], "errors": 0,
            "status_counts": {"200": counts[source]}, "crawl_error": None})


def night(db: Path, staging: Path, outbox: Path) -> dict[str, Any]:
    """One night on the warehouse machine (runs in the child): load, health, alerts."""
    from alerts.deliver import run_alerts
    from alerts.rules import load_rules
    from warehouse.db import connect_writer
    from warehouse.extraction_drops import flag_extraction_drops
    from warehouse.health import new_flags
    from warehouse.loader import prepare_load, write_load

    took: dict[str, Any] = {}
    srcs = sources()
    started = time.perf_counter()
    prepared = prepare_load(staging, NIGHT_RUN, srcs, workers=1)
    took["prepare_s"] = time.perf_counter() - started
    t = time.perf_counter()
    con = connect_writer(db)
    summary = write_load(con, prepared, srcs)
    took["write_s"] = time.perf_counter() - t
    took["new"], took["updated"] = summary.new_articles, summary.updated_articles
    t = time.perf_counter()
    flag_extraction_drops(con, NIGHT_RUN, new_flags(con, NIGHT_RUN))
    con.close()
    took["health_s"] = time.perf_counter() - t
    t = time.perf_counter()
    alerts = run_alerts(lambda: connect_writer(db), load_rules(ROOT / "rules.yaml"), outbox,
                        now=datetime(2026, 12, 1, 20, 0, tzinfo=UTC))
    took["alerts_s"] = time.perf_counter() - t
    took["scanned"] = alerts.articles_scanned
    took["night_s"] = time.perf_counter() - started
    # The child's own peak is VmHWM: its ru_maxrss would start at the bench's own peak (Linux
    # carries the high-water mark of the process that spawned it across exec, and the bench's
    # bulk build is big). Children of the child (extraction workers) count by ru_maxrss.
    own = _high_water_kib()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    took["peak_rss_mib"] = max(own, kids) / 1024  # both in KiB
    return took


def _high_water_kib() -> int:
    """This process's peak resident set since it started (``VmHWM``, KiB)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_night_in_child(folder: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--child-night", str(folder)],
        check=True, capture_output=True, text=True, cwd=ROOT)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def searches(db: Path) -> tuple[float, float, int]:
    """p50 and p95 (seconds) of the 20 two-word searches, and the hits of the slowest."""
    from warehouse.db import connect_reader
    from warehouse.search import search_articles

    con = connect_reader(db)
    times, hits = [], 0
    try:
        search_articles(con, "banjir")  # warm the connection (extension, catalog)
        for q in queries(vocabulary(), random.Random(5)):
            t = time.perf_counter()
            found = search_articles(con, q, limit=10)
            times.append(time.perf_counter() - t)
            hits = max(hits, len(found))
    finally:
        con.close()
    times.sort()
    return statistics.median(times), times[int(round(0.95 * (len(times) - 1)))], hits


def size_on_disk(db: Path) -> dict[str, Any]:
    from warehouse.db import connect_writer
    from warehouse.size import compact

    con = connect_writer(db)
    # the weekly maintenance, not the night: its compaction of the search index reads every
    # posting (beyond 512MB at 1M), so it runs under the default limit whatever the night had
    con.execute("SET memory_limit = '2GB'")
    try:
        return compact(con, db)["after"]
    finally:
        con.close()


def measure(size: int, root: Path) -> dict[str, Any]:
    folder = root / f"h{size}"
    if folder.exists():
        shutil.rmtree(folder)
    print(f"== {size:,} history articles: building …", file=sys.stderr, flush=True)
    built = build_history(folder / DB_NAME, size)
    print(f"   built in {built['rows_s']:.0f} s + {built['derived_s']:.0f} s; staging the "
          "night …", file=sys.stderr, flush=True)
    stage_night(folder / "staging", folder / DB_NAME, ARGS.night)
    # The build's gigabytes may still sit in the page cache unwritten; the night's first
    # checkpoint would then wait for the kernel to write them all (a second at 1M), a cost of
    # the bench, not of the night. Writing them out first times the night alone.
    os.sync()
    result = run_night_in_child(folder)
    p50, p95, hits = searches(folder / DB_NAME)
    disk = size_on_disk(folder / DB_NAME)
    row = {"history": size, **built, **result, "search_p50_s": p50, "search_p95_s": p95,
           "search_hits": hits, **disk}
    print("   " + json.dumps(row), file=sys.stderr, flush=True)
    if not ARGS.keep:
        shutil.rmtree(folder)
    return row


def table(rows: list[dict[str, Any]]) -> str:
    head = (f"| history | night ({ARGS.night:,} pages) | load | health | alerts | peak RSS | "
            "search p50 | search p95 | on disk | per 1M articles |")
    lines = [head, "|" + "---|" * 10]
    for r in rows:
        lines.append(
            f"| {r['history']:,} | {r['night_s']:.1f} s | {r['prepare_s'] + r['write_s']:.1f} s "
            f"| {r['health_s']:.2f} s | {r['alerts_s']:.1f} s | {r['peak_rss_mib']:.0f} MiB | "
            f"{r['search_p50_s'] * 1000:.0f} ms | {r['search_p95_s'] * 1000:.0f} ms | "
            f"{(r['file_bytes'] + r['wal_bytes']) / 2**30:.2f} GiB | "
            f"{(r['bytes_per_million_articles'] or 0) / 2**30:.2f} GiB |")
    return "\n".join(lines)


def main() -> None:
    root = Path(ARGS.dir) if ARGS.dir else Path(tempfile.mkdtemp(prefix="pantau-history-"))
    rows = [measure(int(s), root) for s in ARGS.sizes.split(",")]
    print(table(rows))
    base, top = rows[0], rows[-1]
    print(f"\nnight at {top['history']:,} / at {base['history']:,}: "
          f"{top['night_s'] / base['night_s']:.2f}x (target <= 1.5x); max peak RSS "
          f"{max(r['peak_rss_mib'] for r in rows):.0f} MiB (target <= 1024); search p95 at "
          f"{top['history']:,}: {top['search_p95_s'] * 1000:.0f} ms (target < 1000)")
    if not ARGS.dir and not ARGS.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--night", type=int, default=5000)
    parser.add_argument("--dir", default=os.environ.get("PANTAU_BENCH_DIR"))
    parser.add_argument("--keep", action="store_true", help="keep the warehouses")
    parser.add_argument("--child-night", help=argparse.SUPPRESS)
    ARGS = parser.parse_args()
    if ARGS.child_night:
        folder = Path(ARGS.child_night)
        print(json.dumps(night(folder / DB_NAME, folder / "staging", folder / "outbox.jsonl")))
    else:
        main()
