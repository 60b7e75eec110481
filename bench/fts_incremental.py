"""Benchmark: keeping the full-text index up to date as the warehouse grows, two ways side by side.

    python bench/fts_incremental.py [--sizes 10000,100000] [--night 5000] [--changed 100]
                                    [--rebuild-up-to 100000] [--keep DIR] [--check]

At each size a warehouse of that many synthetic articles is built through a bulk path (below),
then one night is indexed: ``--night`` new articles plus ``--changed`` articles whose text
changed (superseded versions), and 20 two-word searches are timed, both ways:

- **postings** (pantau's index, warehouse/fts.py): ``update_index`` with the night's article ids,
  inside one transaction; searches through ``warehouse.search.search_articles`` (the query
  language, BM25 set-wise over postings, top 10) on a read-only connection.
- **fts rebuild** (pantau before issue 16): DuckDB's ``fts`` extension index rebuilt over every
  article (``PRAGMA create_fts_index`` plus the stems table, what ``refresh_index`` did), over
  a copy of the articles' id/title/text (its schema must not collide with pantau's); searches
  by the same set-wise BM25 over the extension's tables, conjunctive, top 10. (The old search
  also ran the query language's exact check on top: its figures here are a lower bound.)
  Skipped above ``--rebuild-up-to`` articles (minutes per night, and the memory grows with it).

**Bulk path.** Articles are generated inside DuckDB (no extraction, no merge): a
vocabulary of 60,000 words (the synthetic corpus's Indonesian words first, then made-up words,
many with Indonesian affixes so stems matter) is drawn from with a Zipf-like law (rank = V^u,
u uniform), 300 words of text and 8 of title per article, deterministic (hash of article number
and position). The history's index is written from the same draws as integers (word rank =
termid, article number = docid), no text split; ``--check`` first proves it identical to
``refresh_index``'s on 2,000 articles. This is not the nightly path, only a fast way to get a big
warehouse; the night itself is indexed as the load does it (``update_index``).

Peak RSS of the process is printed at the end (DuckDB's memory included).
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import WORDS  # noqa: E402

VOCABULARY = 60_000
TEXT_WORDS = 300
TITLE_WORDS = 8
SEARCHES = 20


def vocabulary(n: int = VOCABULARY) -> list[str]:
    """The synthetic corpus's words, then made-up ones, some with Indonesian affixes."""
    rng = random.Random(11)
    onsets = ["", "b", "d", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "w", "ng",
              "ny", "c", "br", "tr", "kl"]
    vowels = ["a", "i", "u", "e", "o", "ai", "au"]
    codas = ["", "", "", "n", "ng", "r", "t", "k", "s", "h", "l", "m"]
    prefixes = ["", "", "", "me", "mem", "men", "di", "ber", "ter", "pe", "ke", "per"]
    suffixes = ["", "", "", "", "kan", "an", "i", "nya", "lah"]
    words = list(dict.fromkeys(WORDS))
    seen = set(words)
    while len(words) < n:
        root = "".join(rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas)
                       for _ in range(rng.choice([2, 2, 3])))
        word = rng.choice(prefixes) + root + rng.choice(suffixes)
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def _words_sql(count: int, salt: int) -> str:
    # a word drawn Zipf-like: rank floor(V^u), u from a hash of (article, position)
    return (f"array_to_string(list_transform(range({count}), x -> v.words[greatest(1, "
            f"floor(pow(v.n, (hash(i * {count + 1} + x + {salt}) % 1000003) / 1000003.0))"
            f"::INTEGER)]), ' ')")


def insert_articles(con: Any, first: int, count: int, run_id: str, salt: int = 0) -> None:
    """Articles number first..first+count-1 (ids ``syn<number>``) straight into ``articles``."""
    con.execute(
        f"""
        INSERT INTO articles (id, source, url, canonical_url, title, text, authors, tags,
            published_at, published_at_local, first_seen_at, last_seen_at, content_hash,
            version, run_id)
        SELECT 'syn' || i, 'outlet_' || (i % 34), 'https://x.example/' || i,
               'https://x.example/' || i, {_words_sql(TITLE_WORDS, 17 + salt)},
               {_words_sql(TEXT_WORDS, salt)}, [], [],
               TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_minutes(i::BIGINT), NULL,
               now(), now(), md5(i::VARCHAR), 1, ?
        FROM range({first}, {first + count}) t(i), vocab v
        """,
        [run_id],
    )


def change_articles(con: Any, ids: list[str], run_id: str) -> None:
    """New text for ``ids`` (a new version of each, as a changed fetch makes)."""
    con.execute(
        f"""
        UPDATE articles a SET text = {_words_sql(TEXT_WORDS, 99)}, version = a.version + 1,
               run_id = ?
        FROM (SELECT CAST(substr(id, 4) AS BIGINT) AS i, id FROM articles) c, vocab v
        WHERE c.id = a.id AND list_contains(?, a.id)
        """,
        [run_id, ids],
    )


def _ranks_sql(count: int, salt: int) -> str:
    """The vocabulary positions :func:`_words_sql` draws, one row per word."""
    return (f"SELECT i, greatest(1, floor(pow(v.n, (hash(i * {count + 1} + x + {salt}) "
            f"% 1000003) / 1000003.0))::INTEGER) AS k FROM t, range({count}) r(x), vocab v")


def bulk_index(con: Any, first: int, count: int, name_sql: str = "'syn' || i",
               params: dict[str, Any] | None = None) -> None:
    """Postings of articles first..first+count-1 straight from the word draws that made their
    text (the words are single lower-case tokens, so this is what tokenizing gives; checked
    against refresh_index by ``--check``): integer work, no text split. ``name_sql``: each
    document's name (the article id) as SQL of the draw number ``i`` (with ``params``)."""
    ix = "fts_main_articles"
    con.execute(
        f"""
        INSERT INTO {ix}.postings
        WITH t AS (SELECT i FROM range({first}, {first + count}) t(i))
        SELECT k, i, count(*) FROM ({_ranks_sql(TEXT_WORDS, 0)} UNION ALL
                                    {_ranks_sql(TITLE_WORDS, 17)})
        GROUP BY k, i ORDER BY k, i
        """
    )
    con.execute(
        f"""
        INSERT INTO {ix}.docs SELECT i, {name_sql}, {TEXT_WORDS + TITLE_WORDS}
        FROM range({first}, {first + count}) t(i)
        """, params or {}
    )


def build_history(db: Path, n: int, words: list[str], bulk: bool = True) -> float:
    """A warehouse of ``n`` articles with pantau's index built; seconds taken. ``bulk``: the
    index by :func:`bulk_index`, else by ``refresh_index``."""
    from warehouse.db import connect_writer, transaction
    from warehouse.fts import load_fts, refresh_index

    started = time.perf_counter()
    con = connect_writer(db)
    con.execute("CREATE TEMP TABLE vocab AS SELECT ?::VARCHAR[] AS words, ? AS n",
                [words, len(words)])
    step = 50_000
    for first in range(0, n, step):
        with transaction(con):
            insert_articles(con, first, min(step, n - first), "history")
            if bulk:
                bulk_index(con, first, min(step, n - first))
    with transaction(con):
        if bulk:
            load_fts(con)
            con.execute("INSERT INTO fts_main_articles.dict SELECT k, v.words[k], "
                        "stem(v.words[k], 'indonesian') FROM vocab v, range(1, v.n + 1) r(k)")
            con.execute("DELETE FROM fts_main_articles.built")
            con.execute("INSERT INTO fts_main_articles.built VALUES (now(), ?)", [n - 1])
        else:
            refresh_index(con)
    con.execute("CHECKPOINT")
    con.close()
    return time.perf_counter() - started


def check_bulk(base: Path, words: list[str], n: int = 2000) -> None:
    """The bulk index equals refresh_index's (words, articles, counts, lengths, stems)."""
    import duckdb

    contents = []
    for bulk in (True, False):
        db = base / f"check-{bulk}.duckdb"
        db.unlink(missing_ok=True)
        build_history(db, n, words, bulk=bulk)
        con = duckdb.connect(str(db), read_only=True)
        ix = "fts_main_articles"
        contents.append([con.execute(sql).fetchall() for sql in (
            f"SELECT w.term, w.stem, d.name, p.tf, d.len FROM {ix}.postings p "
            f"JOIN {ix}.dict w USING (termid) JOIN {ix}.docs d USING (docid) ORDER BY ALL",
            f"SELECT name, len FROM {ix}.docs ORDER BY ALL")])
        con.close()
        db.unlink()
    assert contents[0] == contents[1], "bulk index differs from refresh_index"
    print(f"  bulk index checked against refresh_index on {n:,} articles: identical")


def queries(words: list[str], rng: random.Random, count: int = SEARCHES) -> list[str]:
    """Two-word searches: a frequent word and a rarer one (both from the vocabulary)."""
    out = []
    for _ in range(count):
        common = words[rng.randint(30, 600)]
        rare = words[rng.randint(600, 8000)]
        out.append(f"{common} {rare}")
    return out


OLD_SEARCH = """
WITH qdict AS (
    SELECT termid, df FROM {ix}.dict WHERE list_contains(?, term)
), matched AS (
    SELECT docid FROM {ix}.terms WHERE termid IN (SELECT termid FROM qdict)
    GROUP BY docid HAVING count(DISTINCT termid) = ?
), postings AS (
    SELECT termid, docid, count(*) AS tf FROM {ix}.terms
    WHERE termid IN (SELECT termid FROM qdict) GROUP BY termid, docid
), scores AS (
    SELECT d.name AS id,
           sum(log((st.num_docs - q.df + 0.5) / (q.df + 0.5) + 1)
               * (p.tf * 2.2 / (p.tf + 1.2 * (0.25 + 0.75 * d.len / st.avgdl)))) AS score
    FROM postings p JOIN {ix}.docs d USING (docid) JOIN qdict q USING (termid)
    CROSS JOIN {ix}.stats st
    WHERE p.docid IN (SELECT docid FROM matched)
    GROUP BY d.name
)
SELECT a.id, a.title, s.score FROM scores s JOIN articles a ON a.id = s.id
ORDER BY s.score DESC, a.published_at DESC LIMIT 10
"""


def old_rebuild(con: Any) -> None:
    """What refresh_index did before issue 16, over the copy ``articles_ref``."""
    from warehouse.fts import load_fts

    load_fts(con)
    con.execute(
        "PRAGMA create_fts_index('articles_ref', 'id', 'title', 'text', stemmer = 'none', "
        "stopwords = 'none', ignore = '(\\.|[^a-z0-9])+', strip_accents = 1, lower = 1, "
        "overwrite = 1)"
    )
    con.execute("CREATE TABLE fts_main_articles_ref.term_stems AS SELECT term, "
                "stem(term, 'indonesian') AS stem FROM fts_main_articles_ref.dict")


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def night(db: Path, n: int, args: argparse.Namespace, words: list[str]) -> dict[str, Any]:
    from warehouse.db import connect_reader, connect_writer, transaction
    from warehouse.fts import has_index, update_index
    from warehouse.search import search_articles

    result: dict[str, Any] = {"size": n}
    rng = random.Random(n)
    con = connect_writer(db)
    con.execute("CREATE TEMP TABLE vocab AS SELECT ?::VARCHAR[] AS words, ? AS n",
                [words, len(words)])
    changed = [f"syn{i}" for i in rng.sample(range(n), args.changed)]
    with transaction(con):
        insert_articles(con, n, args.night, "night", salt=1)
        change_articles(con, changed, "night")
        ids = [r[0] for r in con.execute("SELECT id FROM articles WHERE run_id = 'night'")
               .fetchall()]
        assert len(ids) == args.night + args.changed, len(ids)
        started = time.perf_counter()
        update_index(con, ids)
        result["postings_index_s"] = time.perf_counter() - started
    assert has_index(con)
    result["postings"] = con.execute(
        "SELECT count(*) FROM fts_main_articles.postings").fetchone()[0]
    result["terms"] = con.execute("SELECT count(*) FROM fts_main_articles.dict").fetchone()[0]
    con.execute("CHECKPOINT")
    con.close()
    result["db_mb"] = db.stat().st_size / 2**20
    searches = queries(words, rng)
    reader = connect_reader(db)
    search_articles(reader, searches[0], limit=10)  # warm-up: the file's pages, the stemmer
    times, hits = [], 0
    for q in searches:
        started = time.perf_counter()
        hits += len(search_articles(reader, q, limit=10))
        times.append(time.perf_counter() - started)
    reader.close()
    result["postings_p50"], result["postings_p95"] = percentiles(times)
    result["hits"] = hits
    if n > args.rebuild_up_to:
        return result
    con = connect_writer(db)
    con.execute("CREATE TABLE articles_ref AS SELECT id, title, text FROM articles")
    with transaction(con):
        started = time.perf_counter()
        old_rebuild(con)
        result["rebuild_index_s"] = time.perf_counter() - started
    con.execute("CHECKPOINT")
    times = []
    sql = OLD_SEARCH.format(ix="fts_main_articles_ref")
    con.execute(sql, [searches[0].split(), 2]).fetchall()
    for q in searches:
        started = time.perf_counter()
        con.execute(sql, [q.split(), 2]).fetchall()
        times.append(time.perf_counter() - started)
    result["rebuild_p50"], result["rebuild_p95"] = percentiles(times)
    con.execute("DROP SCHEMA fts_main_articles_ref CASCADE")
    con.execute("DROP TABLE articles_ref")
    con.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000",
                        help="history sizes, comma-separated (default: %(default)s)")
    parser.add_argument("--night", type=int, default=5000, help="new articles in the night")
    parser.add_argument("--changed", type=int, default=100,
                        help="articles of the history changed in the night")
    parser.add_argument("--rebuild-up-to", type=int, default=100_000,
                        help="time the old full rebuild only up to this size")
    parser.add_argument("--keep", type=Path, help="keep the warehouses in this directory")
    parser.add_argument("--check", action="store_true",
                        help="first check the bulk index against refresh_index (2,000 articles)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    words = vocabulary()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        if args.check:
            check_bulk(base, words)
        for n in sizes:
            db = base / f"fts-{n}.duckdb"
            db.unlink(missing_ok=True)
            built = build_history(db, n, words)
            print(f"  built {n:,} articles and their index (bulk) in {built:.1f} s", flush=True)
            rows.append(night(db, n, args, words))
            print(f"  {rows[-1]}", flush=True)
    print(f"\nfull-text index, one night of {args.night:,} new + {args.changed} changed articles"
          f"; {SEARCHES} two-word searches (python bench/fts_incremental.py "
          f"--sizes {args.sizes} --night {args.night} --changed {args.changed})")
    print("| history | postings: index the night | postings: search p50 / p95 "
          "| fts rebuild: index the night | fts rebuild: search p50 / p95 "
          "| postings rows | warehouse size |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        rebuild = (f"{r['rebuild_index_s']:.1f} s", f"{r['rebuild_p50'] * 1000:.0f} / "
                   f"{r['rebuild_p95'] * 1000:.0f} ms") if "rebuild_index_s" in r else (
            "not run", "not run")
        print(f"| {r['size']:,} | {r['postings_index_s']:.2f} s | "
              f"{r['postings_p50'] * 1000:.0f} / {r['postings_p95'] * 1000:.0f} ms | "
              f"{rebuild[0]} | {rebuild[1]} | {r['postings']:,} | {r['db_mb']:.0f} MiB |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the benchmark process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
