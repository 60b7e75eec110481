"""Indonesian stems, from the very stemmer the warehouse's full-text index uses.

``stem_id(word)`` is DuckDB's ``stem(word, 'indonesian')`` (the Snowball Indonesian stemmer in the
``fts`` extension, loaded from the pinned ``duckdb-extension-fts`` package) applied to the folded
word (lower case, accents removed; see :func:`query.text.fold`). The warehouse keeps the
same stem of every indexed word (``fts_main_articles.term_stems``, see :mod:`warehouse.fts`), so
``~banjir`` in an alert rule and in ``pantau search`` agree on what is "the same word".

Snowball strips particles (-kah, -lah, -pun), possessives (-ku, -mu, -nya), the prefixes
me-/pe-/di-/ter-/ke-/be-/per- with their sound changes, and the suffixes -kan, -an, -i:
``kebanjiran``, ``membanjiri``, ``dibanjiri`` and ``banjirnya`` all stem to ``banjir``.

Stemming runs in a private in-memory DuckDB connection (never the warehouse), in batches: one
query for many words, with a process-wide cache.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from pathlib import Path

import duckdb

from core.errors import PantauError
from query.text import fold

log = logging.getLogger(__name__)

_lock = threading.Lock()
_con: duckdb.DuckDBPyConnection | None = None
_cache: dict[str, str] = {}
_CACHE_LIMIT = 500_000


class StemmerUnavailable(PantauError):
    """The DuckDB fts extension (the stemmer) cannot be loaded."""


def fts_extension_path() -> Path:
    """The fts extension file shipped by the pinned ``duckdb-extension-fts`` package."""
    try:
        import duckdb_extension_fts
    except ImportError:
        raise StemmerUnavailable(
            "the duckdb-extension-fts package is not installed; install the pinned requirements "
            "(pip install -r requirements.txt) to use ~word stem matching"
        ) from None
    base = Path(duckdb_extension_fts.__file__).resolve().parent / "extensions"
    path = base / f"v{duckdb.__version__}" / "fts.duckdb_extension"
    if not path.exists():
        found = sorted(base.glob("*/fts.duckdb_extension"))
        if not found:
            raise StemmerUnavailable(f"{base}: no fts.duckdb_extension in duckdb-extension-fts")
        path = found[-1]
    return path


def _connection() -> duckdb.DuckDBPyConnection:
    global _con
    if _con is None:
        con = duckdb.connect(":memory:")
        try:
            con.execute(f"LOAD '{fts_extension_path()}'")
        except duckdb.Error as exc:
            con.close()
            raise StemmerUnavailable(f"cannot load the DuckDB fts extension: {exc}") from None
        _con = con
    return _con


def _stem_batch(words: list[str]) -> dict[str, str]:
    # One string in, split in SQL: far faster than binding a Python list of many strings.
    rows = _connection().execute(
        "SELECT w, stem(w, 'indonesian') FROM (SELECT unnest(string_split(?, chr(10))) AS w)",
        ["\n".join(words)],
    ).fetchall()
    return {w: s for w, s in rows}


def stem_many(words: Iterable[str]) -> dict[str, str]:
    """Stems of already-folded ``words`` (see :func:`query.text.fold`): ``{word: stem}``."""
    wanted = words if isinstance(words, set | frozenset) else set(words)
    cache = _cache
    missing = [w for w in wanted if w not in cache and "\n" not in w]
    if missing:
        with _lock:
            fresh = _stem_batch(missing)
            if len(cache) + len(fresh) > _CACHE_LIMIT:
                cache.clear()
            cache.update(fresh)
        get = cache.get
        return {w: fresh.get(w) or get(w, w) for w in wanted}
    get = cache.get
    return {w: get(w, w) for w in wanted}


def stem_id(word: str) -> str:
    """The stem of ``word`` as the full-text search computes it (folded, Snowball Indonesian)."""
    folded = fold(word)
    return stem_many([folded])[folded]
