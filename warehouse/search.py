"""Ranked search over stored articles.

With the full-text index (built at every load, see :mod:`warehouse.fts`) words are matched by
their Indonesian stem ("banjir" finds "kebanjiran"), every word must match (title or text), and
results are ranked by BM25. Without the index (extension missing) it falls back to substring
matching ranked by occurrence counts, so search still works, only less well.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

import duckdb

from warehouse.filters import article_filters
from warehouse.fts import INDEX_SCHEMA, STEMMER, has_index, stem

log = logging.getLogger(__name__)

SNIPPET_CHARS = 180

# BM25 (k1 = 1.2, b = 0.75, as the fts extension's match_bm25) computed set-wise from the index
# tables, touching only the postings of the query's terms. (match_bm25() is a per-row macro that
# re-scores the query for every article: ~0.8 s per query at 100,000 articles.) Every query term
# must match (conjunctive), in title or text.
BM25_SQL = """
WITH tokens AS (
    SELECT DISTINCT stem(unnest({index}.tokenize(?)), '{stemmer}') AS t
), qdict AS (
    SELECT d.termid, d.df FROM {index}.dict d JOIN tokens ON d.term = tokens.t
), postings AS (
    SELECT termid, docid, count(*) AS tf FROM {index}.terms
    WHERE termid IN (SELECT termid FROM qdict) GROUP BY termid, docid
), matched AS (
    SELECT docid FROM postings GROUP BY docid
    HAVING count(*) = (SELECT count(*) FROM tokens)
), scores AS (
    SELECT d.name AS id,
           sum(log((st.num_docs - q.df + 0.5) / (q.df + 0.5) + 1)
               * (p.tf * 2.2 / (p.tf + 1.2 * (0.25 + 0.75 * d.len / st.avgdl)))) AS score
    FROM postings p
    JOIN matched USING (docid)
    JOIN {index}.docs d USING (docid)
    JOIN qdict q USING (termid)
    CROSS JOIN {index}.stats st
    GROUP BY d.name
)
SELECT a.source, a.published_at_local, a.title, a.canonical_url, a.text, s.score
FROM scores s JOIN articles a ON a.id = s.id
WHERE true {filters}
ORDER BY s.score DESC, a.published_at DESC NULLS LAST
LIMIT ?
"""


@dataclass(frozen=True)
class SearchHit:
    source: str
    published_at: str | None
    title: str | None
    url: str
    snippet: str
    score: float


def query_words(query: str) -> list[str]:
    """The words of a search query (lower case); an empty query is an error."""
    words = [w for w in re.findall(r"\w+", query.lower()) if w]
    if not words:
        raise ValueError("the search needs at least one word")
    return words


def snippet(text: str, needles: list[str]) -> str:
    """A short window of ``text`` around the first needle found, matches marked with **."""
    lower = text.lower()
    positions = [p for p in (lower.find(n) for n in needles if n) if p >= 0]
    first = min(positions) if positions else 0
    start = max(0, first - SNIPPET_CHARS // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + SNIPPET_CHARS)
    piece = " ".join(text[start:end].split())
    for needle in sorted({n for n in needles if n}, key=len, reverse=True):
        piece = re.sub(
            rf"(?i)\b(\w*{re.escape(needle)}\w*)", r"**\1**", piece
        )
    piece = re.sub(r"\*{4,}", "**", piece)
    return ("…" if start else "") + piece + ("…" if end < len(text) else "")


def search_articles(
    con: duckdb.DuckDBPyConnection,
    query: str,
    limit: int = 10,
    sources: list[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[SearchHit]:
    """Articles matching every word of ``query``, best first."""
    words = query_words(query)
    where, params = article_filters(sources, since, until)
    try:
        indexed = has_index(con)
    except duckdb.Error:
        indexed = False
    if indexed:
        needles = [stem(con, w) for w in words]
        sql = BM25_SQL.format(
            index=INDEX_SCHEMA, stemmer=STEMMER, filters="".join(" AND " + w for w in where)
        )
        rows = con.execute(sql, [" ".join(words), *params, limit]).fetchall()
    else:
        log.info("no full-text index; falling back to substring search")
        needles = words
        score = " + ".join(
            "(length(lower(text)) - length(replace(lower(text), ?, ''))) / length(?)"
            " + 5 * (length(lower(coalesce(title, '')))"
            " - length(replace(lower(coalesce(title, '')), ?, ''))) / length(?)"
            for _ in words
        )
        match = ["(title ILIKE ? OR text ILIKE ?)" for _ in words]
        sql = (
            f"SELECT source, published_at_local, title, canonical_url, text, {score} AS score "
            f"FROM articles WHERE {' AND '.join(match + where)} "
            "ORDER BY score DESC, published_at DESC NULLS LAST LIMIT ?"
        )
        score_params = [x for w in words for x in (w, w, w, w)]
        match_params = [x for w in words for x in (f"%{w}%", f"%{w}%")]
        rows = con.execute(sql, [*score_params, *match_params, *params, limit]).fetchall()
    return [
        SearchHit(
            source=r[0], published_at=r[1], title=r[2], url=r[3],
            snippet=snippet(r[4] or "", needles), score=float(r[5]),
        )
        for r in rows
    ]
