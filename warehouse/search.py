"""Keyword search over stored articles.

Every word must occur in the title or the text (case-insensitive); results are ranked by how
often the words occur, title hits counting more, newest first on ties. Full-text search with
Indonesian stemming (DuckDB ``fts``) replaces the matching in a later version behind this same
function.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import duckdb

SNIPPET_CHARS = 160


@dataclass(frozen=True)
class SearchHit:
    source: str
    published_at: str | None
    title: str | None
    url: str
    snippet: str
    score: float


def _words(query: str) -> list[str]:
    words = [w for w in re.findall(r"\w[\w'-]*", query.lower()) if w]
    if not words:
        raise ValueError("the search needs at least one word")
    return words


def _snippet(text: str, words: list[str]) -> str:
    lower = text.lower()
    positions = [p for p in (lower.find(w) for w in words) if p >= 0]
    start = max(0, min(positions) - SNIPPET_CHARS // 3) if positions else 0
    piece = " ".join(text[start : start + SNIPPET_CHARS].split())
    return ("…" if start else "") + piece + ("…" if start + SNIPPET_CHARS < len(text) else "")


def search_articles(
    con: duckdb.DuckDBPyConnection,
    query: str,
    limit: int = 10,
    sources: list[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[SearchHit]:
    """Articles containing every word of ``query``, best first."""
    words = _words(query)
    where = []
    params: list[object] = []
    score_parts = []
    for w in words:
        pattern = f"%{w}%"
        where.append("(title ILIKE ? OR text ILIKE ?)")
        params += [pattern, pattern]
    for w in words:
        # occurrences in text, plus title hits weighted x5
        score_parts.append(
            "(length(lower(text)) - length(replace(lower(text), ?, ''))) / length(?)"
            " + 5 * (length(lower(coalesce(title, ''))) "
            "- length(replace(lower(coalesce(title, '')), ?, ''))) / length(?)"
        )
    score_params: list[object] = []
    for w in words:
        score_params += [w, w, w, w]
    if sources:
        where.append(f"source IN ({', '.join('?' for _ in sources)})")
        params += list(sources)
    if since:
        where.append("published_at >= ?")
        params.append(since)
    if until:
        where.append("published_at < ?")
        params.append(until)
    sql = (
        f"SELECT source, published_at_local, title, canonical_url, text, "
        f"{' + '.join(score_parts)} AS score FROM articles WHERE {' AND '.join(where)} "
        f"ORDER BY score DESC, published_at DESC NULLS LAST LIMIT ?"
    )
    rows = con.execute(sql, score_params + params + [limit]).fetchall()
    return [
        SearchHit(
            source=r[0], published_at=r[1], title=r[2], url=r[3],
            snippet=_snippet(r[4] or "", words), score=float(r[5]),
        )
        for r in rows
    ]
