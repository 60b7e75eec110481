"""Full-text search: an index of the words of every article, kept by the load, article by article.

The index (schema ``fts_main_articles``, created by migration 0010) is a set of plain tables:

- ``dict(termid, term, stem)``: every indexed word with its Snowball Indonesian stem (the
  stemmer alert rules use, from DuckDB's ``fts`` extension), so ``~banjir`` finds the articles of
  every word that stems to *banjir* (kebanjiran, membanjiri) by one lookup;
- ``docs(docid, name, len)``: one row per article (``name`` is ``articles.id``) with its number
  of words;
- ``postings(termid, docid, tf)``: one row per word of an article, with how often it occurs.

Words are the title's and the text's, lower-cased, accents stripped, split on anything but a-z
and 0-9 (the ``fts`` extension's tokenizer with the settings pantau used before: migration 0010's
``tokenize`` macro). BM25 is computed at query time from these tables, set-wise
(:mod:`warehouse.search`); document frequencies and the average length are counted then, so
nothing global is kept up to date.

Each load calls :func:`update_index` with the articles it wrote, inside its transaction: their
old postings go, their current version's come in. The cost depends on the night, not on the
history (the dictionary lookups scan ``dict``, which grows far slower than the articles). A full
rebuild (:func:`refresh_index`) is for migrations and ``pantau reprocess``; it works in chunks so
its memory does not grow with the warehouse. Every write lands inside the caller's transaction,
so readers always see an index that matches the articles.

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


def _index(con: duckdb.DuckDBPyConnection, article_ids: Iterable[str]) -> None:
    if not _ids_table(con, article_ids):
        return
    ix = INDEX_SCHEMA
    # what is indexed of these articles already: drop it (updated articles, removed ones)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE fts_old AS SELECT d.docid, d.name FROM {ix}.docs d "
        "WHERE d.name IN (SELECT name FROM fts_changed)"
    )
    old = con.execute("SELECT count(*) FROM fts_old").fetchone()
    if old and old[0]:
        con.execute(f"DELETE FROM {ix}.postings WHERE docid IN (SELECT docid FROM fts_old)")
        con.execute(f"DELETE FROM {ix}.docs WHERE docid IN (SELECT docid FROM fts_old)")
    # the current versions' words, counted per article
    con.execute(
        "CREATE OR REPLACE TEMP TABLE fts_rows AS SELECT a.id AS name, a.title, a.text "
        "FROM articles a WHERE a.id IN (SELECT name FROM fts_changed)"
    )
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
    # docs: an article keeps its docid across versions; new ones get the next free ones
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE fts_docs AS
        WITH top AS (
            SELECT greatest(coalesce((SELECT max(docid) FROM {ix}.docs), -1),
                            coalesce((SELECT max(docid) FROM fts_old), -1)) AS top
        ), present AS (
            SELECT r.name, o.docid, coalesce(l.len, 0) AS len
            FROM fts_rows r
            LEFT JOIN fts_old o ON o.name = r.name
            LEFT JOIN (SELECT name, sum(tf) AS len FROM fts_tf GROUP BY name) l
                ON l.name = r.name
        )
        SELECT coalesce(p.docid, top.top + row_number() OVER (PARTITION BY p.docid IS NULL
                                                               ORDER BY p.name))::INTEGER
                   AS docid,
               p.name, p.len::INTEGER AS len
        FROM present p, top
        """
    )
    con.execute(f"INSERT INTO {ix}.docs SELECT docid, name, len FROM fts_docs ORDER BY docid")
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
    for name in ("fts_changed", "fts_old", "fts_rows", "fts_tf", "fts_docs", "fts_terms"):
        con.execute(f"DROP TABLE IF EXISTS {name}")


def refresh_index(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the index over every article from scratch (call inside a transaction), in chunks
    of :data:`CHUNK` articles."""
    load_fts(con)
    ix = INDEX_SCHEMA
    for table in ("postings", "docs", "dict", "built"):
        con.execute(f"DELETE FROM {ix}.{table}")
    ids = [r[0] for r in con.execute("SELECT id FROM articles ORDER BY id").fetchall()]
    for start in range(0, len(ids), CHUNK):
        _index(con, ids[start:start + CHUNK])
    con.execute(f"INSERT INTO {ix}.built VALUES (now())")
    log.info("full-text index rebuilt over %d articles", len(ids))


def stem(con: duckdb.DuckDBPyConnection, word: str) -> str:
    """The index's stem of one word (the same stemmer alert rules use for ``~word``)."""
    row = con.execute("SELECT stem(lower(?), ?)", [word, STEMMER]).fetchone()
    return str(row[0]) if row else word
