"""Full-text search: DuckDB's ``fts`` extension, loaded offline, with Indonesian stems beside it.

The extension binary comes from the pinned PyPI package ``duckdb-extension-fts`` (same version as
``duckdb``), so nothing is downloaded at run time. The index (schema ``fts_main_articles``) covers
title and text, lower-cased and accent-stripped, and holds the words themselves (no stemming):
the query language (:mod:`query.sql`) looks a word or a ``prefix*`` up exactly. Beside
it, ``fts_main_articles.term_stems(term, stem)`` maps every indexed word to its Snowball
Indonesian stem (the stemmer alert rules use), so ``~banjir`` finds the articles of every word
that stems to *banjir* (kebanjiran, membanjiri) with one lookup. Both are rebuilt inside each
load's transaction, so readers always see an index that matches the articles.
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb

from core.errors import PantauError

log = logging.getLogger(__name__)

STEMMER = "indonesian"
INDEX_SCHEMA = "fts_main_articles"


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


STEMS_TABLE = "term_stems"


def has_index(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the current index is there: words and their stems. (An index of an older pantau,
    which held stems only, does not count: the next load rebuilds it; search reads the text
    meanwhile.)"""
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? "
        "AND table_name = ?", [INDEX_SCHEMA, STEMS_TABLE]
    ).fetchone()
    return bool(row and row[0])


def refresh_index(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the article index and its stems (call inside the load transaction).

    Not on a DuckLake: the extension's index (macros, a NULL-typed column) cannot live there;
    search reads the text instead (see :func:`has_index`)."""
    from warehouse.lake import is_lake

    if is_lake(con):
        return
    load_fts(con)
    con.execute(
        "PRAGMA create_fts_index('articles', 'id', 'title', 'text', stemmer = 'none', "
        "stopwords = 'none', ignore = '(\\.|[^a-z0-9])+', strip_accents = 1, lower = 1, "
        "overwrite = 1)"
    )
    con.execute(
        f"CREATE TABLE {INDEX_SCHEMA}.{STEMS_TABLE} AS "
        f"SELECT term, stem(term, '{STEMMER}') AS stem FROM {INDEX_SCHEMA}.dict"
    )


def stem(con: duckdb.DuckDBPyConnection, word: str) -> str:
    """The index's stem of one word (the same stemmer alert rules use for ``~word``)."""
    row = con.execute("SELECT stem(lower(?), ?)", [word, STEMMER]).fetchone()
    return str(row[0]) if row else word
