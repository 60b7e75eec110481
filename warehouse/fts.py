"""Full-text search: an index of the words of every article, kept by the load, article by article.

The index (schema ``fts_main_articles``, migrations 0010 and 0012) is a set of plain tables:

- ``dict(termid, term, stem)``: every indexed word with its Snowball Indonesian stem (the
  stemmer alert rules use, from DuckDB's ``fts`` extension), so ``~banjir`` finds the articles of
  every word that stems to *banjir* (kebanjiran, membanjiri) by one lookup;
- ``docs(docid, name, len)``: one row per article (``name`` is ``articles.id``) with its number
  of words;
- ``postings(termid, docid, tf)``: one row per word of an article version, with how often it
  occurs, written in word order (a search reads the few row groups of its words).

Words are the title's and the text's, lower-cased, accents stripped, split on anything but a-z
and 0-9 (the ``fts`` extension's tokenizer with the settings pantau used before: migration 0010's
``tokenize`` macro). BM25 is computed at query time from these tables, set-wise
(:mod:`warehouse.search`); document frequencies and the average length are counted then, so
nothing global is kept up to date.

Each load calls :func:`update_index` with the articles it wrote, inside its transaction: each
gets a new docid and its current version's postings; the docs row of its earlier version goes,
which retires that version's postings (search reads postings of live docids only) until
:func:`compact_index` deletes them in the weekly maintenance. Deleting them at once would scan
every posting each night, since an article's postings are spread over the whole word-ordered
table. So the night's cost depends on the night: the lookups that remain scan ``docs`` and
``dict`` (one small row per article, per word), never the postings. A full rebuild
(:func:`refresh_index`) is for migrations and tests; it works in chunks, as does a big update
(``pantau reprocess``), so memory does not grow with the warehouse. Every write lands inside the
caller's transaction, so readers always see an index that matches the articles.

The stemmer comes from the pinned PyPI package ``duckdb-extension-fts`` (same version as
``duckdb``), loaded offline.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from pathlib import Path

import duckdb

from core.errors import PantauError

log = logging.getLogger(__name__)

STEMMER = "indonesian"
INDEX_SCHEMA = "fts_main_articles"
#: Articles tokenized at once (bounds the memory of a big update or a full rebuild).
CHUNK = 20_000


def extension_path() -> Path:
    """The fts extension file shipped by ``duckdb-extension-fts`` for this duckdb version."""
    try:
        import duckdb_extension_fts
    except ImportError:
        raise PantauError(
            "the 'duckdb-extension-fts' package is not installed; run 'make test' or "
            f"pip install duckdb-extension-fts=={duckdb.__version__}"
        ) from None
    base = Path(duckdb_extension_fts.__file__).parent / "extensions" / f"v{duckdb.__version__}"
    path = base / "fts.duckdb_extension"
    if not path.exists():
        raise PantauError(
            f"{path}: no fts extension for duckdb {duckdb.__version__}; install "
            f"duckdb-extension-fts=={duckdb.__version__} (it must match duckdb's version)"
        )
    return path


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """Load the extension into ``con`` (before any sandboxing of the connection)."""
    con.execute(f"LOAD '{extension_path()}'")


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = ?", [INDEX_SCHEMA]
    ).fetchall()
    return {r[0] for r in rows}


def _built(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(f"SELECT count(*) FROM {INDEX_SCHEMA}.built").fetchone()
    return bool(row and row[0])


def has_index(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the index answers for every article: built (migration 0010 starts it unbuilt on
    a warehouse with articles; the next load builds it) and holding one entry per article
    (articles written without :func:`update_index` make it incomplete). Search reads the text
    itself meanwhile."""
    if not {"postings", "docs", "built"} <= _tables(con) or not _built(con):
        return False
    row = con.execute(
        f"SELECT (SELECT count(*) FROM {INDEX_SCHEMA}.docs) = (SELECT count(*) FROM articles)"
    ).fetchone()
    return bool(row and row[0])


def _ids_table(con: duckdb.DuckDBPyConnection, article_ids: Iterable[str]) -> int:
    """Temp table ``fts_changed(name)`` of the distinct ids; returns how many."""
    # one string in, split in SQL: far faster than binding a Python list of many strings
    con.execute(
        "CREATE OR REPLACE TEMP TABLE fts_changed AS SELECT DISTINCT unnest(string_split(?, "
        "chr(10))) AS name",
        ["\n".join(article_ids)],
    )
    con.execute("DELETE FROM fts_changed WHERE name = ''")
    row = con.execute("SELECT count(*) FROM fts_changed").fetchone()
    return int(row[0]) if row else 0


def update_index(con: duckdb.DuckDBPyConnection, article_ids: Collection[str]) -> None:
    """Index exactly ``article_ids`` as they are now in ``articles`` (call inside the caller's
    transaction): postings of their earlier versions go, those of their current ones come in,
    and ids no longer in ``articles`` leave the index. An index never built (a warehouse that
    had articles when migration 0010 ran), or missing articles afterwards (written by something
    else than a load), is rebuilt in full instead."""
    if not _built(con):
        log.info("full-text index not built yet: building it over every article")
        refresh_index(con)
        return
    if article_ids:
        load_fts(con)
        ids = sorted(article_ids)
        for start in range(0, len(ids), CHUNK):  # memory bounded (a reprocess changes many)
            _index(con, ids[start:start + CHUNK])
    row = con.execute(
        f"SELECT (SELECT count(*) FROM articles) - (SELECT count(*) FROM {INDEX_SCHEMA}.docs)"
    ).fetchone()
    if row and row[0]:  # articles written without update_index (never by pantau itself)
        log.warning("full-text index misses %d articles: rebuilding it", row[0])
        refresh_index(con)


#: Above this many separate runs of rows, the articles are read by one semi-join instead.
_MAX_RANGES = 500


def _read_articles(con: duckdb.DuckDBPyConnection) -> None:
    """Temp table ``fts_rows(name, title, text)``: the current rows of ``fts_changed``.

    Looked up by row id ranges: a semi-join on ``id`` reads the text of every article between
    the few wanted (2.5 s for 100 scattered changed articles in 1,000,000), ranges only theirs.
    """
    rowids = [r[0] for r in con.execute(
        "SELECT rowid FROM articles WHERE id IN (SELECT name FROM fts_changed) ORDER BY rowid"
    ).fetchall()]
    runs: list[list[int]] = []
    for rowid in rowids:
        if runs and rowid == runs[-1][1] + 1:
            runs[-1][1] = rowid
        else:
            runs.append([rowid, rowid])
    if not runs:
        where = "false"
    elif len(runs) > _MAX_RANGES:
        where = "a.id IN (SELECT name FROM fts_changed)"
    else:
        where = " OR ".join(f"a.rowid BETWEEN {int(lo)} AND {int(hi)}" for lo, hi in runs)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE fts_rows AS SELECT a.id AS name, a.title, a.text "
        f"FROM articles a WHERE {where}"
    )


def _index(con: duckdb.DuckDBPyConnection, article_ids: Iterable[str]) -> None:
    if not _ids_table(con, article_ids):
        return
    ix = INDEX_SCHEMA
    # What is indexed of these articles already leaves the index: their docs rows go, which
    # retires their postings (search reads postings of docs only; compact_index deletes them).
    # Deleting the postings here would scan them all: with postings ordered by word for
    # search, an article's are spread over the whole table.
    con.execute(f"DELETE FROM {ix}.docs WHERE name IN (SELECT name FROM fts_changed)")
    _read_articles(con)
    # the current versions' words, counted per article
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE fts_tf AS
        SELECT name, term, count(*)::INTEGER AS tf FROM (
            SELECT name,
                   unnest({ix}.tokenize(coalesce(title, '') || ' ' || coalesce(text, ''))) AS term
            FROM fts_rows
        ) GROUP BY name, term
        """
    )
    # docs: every version indexed gets a new docid (above every docid ever given, retired ones
    # included: the top is kept in `built`)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE fts_docs AS
        SELECT (b.top + row_number() OVER (ORDER BY r.name))::INTEGER AS docid, r.name,
               coalesce(l.len, 0)::INTEGER AS len
        FROM fts_rows r
        LEFT JOIN (SELECT name, sum(tf) AS len FROM fts_tf GROUP BY name) l ON l.name = r.name,
        (SELECT max(top_docid) AS top FROM {ix}.built) b
        """
    )
    con.execute(f"INSERT INTO {ix}.docs SELECT docid, name, len FROM fts_docs ORDER BY docid")
    con.execute(f"UPDATE {ix}.built SET top_docid = top_docid + (SELECT count(*) FROM fts_docs)")
    # the words' ids; words never indexed before get new ones, with their stems
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE fts_terms AS
        WITH known AS (
            SELECT t.term, w.termid FROM (SELECT DISTINCT term FROM fts_tf) t
            LEFT JOIN {ix}.dict w ON w.term = t.term
        ), top AS (SELECT coalesce(max(termid), -1) AS top FROM {ix}.dict)
        SELECT k.term, coalesce(k.termid, top.top + row_number() OVER (
                   PARTITION BY k.termid IS NULL ORDER BY k.term))::INTEGER AS termid,
               k.termid IS NULL AS fresh
        FROM known k, top
        """
    )
    con.execute(
        f"INSERT INTO {ix}.dict SELECT termid, term, stem(term, '{STEMMER}') FROM fts_terms "
        "WHERE fresh ORDER BY termid"
    )
    con.execute(
        f"""
        INSERT INTO {ix}.postings (termid, docid, tf)
        SELECT w.termid, d.docid, t.tf
        FROM fts_tf t JOIN fts_terms w USING (term) JOIN fts_docs d USING (name)
        ORDER BY w.termid, d.docid
        """
    )
    for name in ("fts_changed", "fts_rows", "fts_tf", "fts_docs", "fts_terms"):
        con.execute(f"DROP TABLE IF EXISTS {name}")


def refresh_index(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the index over every article from scratch (call inside a transaction), in chunks
    of :data:`CHUNK` articles."""
    load_fts(con)
    ix = INDEX_SCHEMA
    for table in ("postings", "docs", "dict", "built"):
        con.execute(f"DELETE FROM {ix}.{table}")
    con.execute(f"INSERT INTO {ix}.built VALUES (now(), -1)")
    ids = [r[0] for r in con.execute("SELECT id FROM articles ORDER BY id").fetchall()]
    for start in range(0, len(ids), CHUNK):
        _index(con, ids[start:start + CHUNK])
    log.info("full-text index rebuilt over %d articles", len(ids))


def stem(con: duckdb.DuckDBPyConnection, word: str) -> str:
    """The index's stem of one word (the same stemmer alert rules use for ``~word``)."""
    row = con.execute("SELECT stem(lower(?), ?)", [word, STEMMER]).fetchone()
    return str(row[0]) if row else word


def compact_index(con: duckdb.DuckDBPyConnection) -> int:
    """Delete the retired postings (of articles' earlier versions and of articles gone), which
    search already skips; returns how many. Scans every posting: for the weekly maintenance,
    not the nightly load (call inside a transaction; ``CHECKPOINT`` after it frees the space)."""
    ix = INDEX_SCHEMA
    row = con.execute(
        f"DELETE FROM {ix}.postings WHERE docid NOT IN (SELECT docid FROM {ix}.docs)"
    ).fetchone()
    removed = int(row[0]) if row else 0
    log.info("full-text index: %d retired postings deleted", removed)
    return removed

