"""Full-text search with Indonesian stemming: DuckDB's ``fts`` extension, loaded offline.

The extension binary comes from the pinned PyPI package ``duckdb-extension-fts`` (same version as
``duckdb``), so nothing is downloaded at run time. The index (schema ``fts_main_articles``) covers
title and text with the Snowball Indonesian stemmer, and is rebuilt inside each load's
transaction, so readers always see an index that matches the articles.
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb

from pantau.errors import PantauError

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


def has_index(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        "SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?", [INDEX_SCHEMA]
    ).fetchone()
    return bool(row and row[0])


def refresh_index(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the article index (call inside the load transaction)."""
    load_fts(con)
    con.execute(
        f"PRAGMA create_fts_index('articles', 'id', 'title', 'text', stemmer = '{STEMMER}', "
        "stopwords = 'none', ignore = '(\\.|[^a-z0-9])+', strip_accents = 1, lower = 1, "
        "overwrite = 1)"
    )


def stem(con: duckdb.DuckDBPyConnection, word: str) -> str:
    """The index's stem of one word (the same stemmer alert rules use for ``~word``)."""
    row = con.execute("SELECT stem(lower(?), ?)", [word, STEMMER]).fetchone()
    return str(row[0]) if row else word
