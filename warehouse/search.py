"""Ranked search over stored articles, in pantau's query language (:mod:`query`).

The query means what it means in an alert rule: ``banjir Jakarta`` (every word, whole words),
``banjir OR gempa``, ``banjir -Bekasi``, ``"banjir bandang"``, ``jakarta*``, ``~banjir`` (any
affixed form: kebanjiran, membanjiri). Matches are ranked by BM25 over the index entries of the
query's positive words and stems (the formula of the ``fts`` extension's ``match_bm25``), then by
publication time. Without the full-text index (a warehouse never loaded) the same query is
answered from the text itself, newest first.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import duckdb

from query import Node, SqlPredicate, compile_sql, parse_query
from query.snippet import make_snippet
from warehouse.filters import article_filters
from warehouse.fts import INDEX_SCHEMA, has_index

log = logging.getLogger(__name__)

# BM25 (k1 = 1.2, b = 0.75, as the fts extension's match_bm25) computed set-wise from the index
# tables (warehouse/fts.py) for the matched articles only, reading only the postings of the
# query's positive words (and of every word with one of its ~stems). Document frequencies, the
# number of articles and their average length are counted here, from the postings and docs, so the
# load keeps no global statistics up to date. The ten best are ranked first and only their
# rows read in full (``top``): ``a.id IN (...)`` lets DuckDB skip the text of every other
# article, which a plain join reads (0.9 s at 100,000 articles).
SEARCH_SQL = """
WITH matched AS MATERIALIZED (
    {matching_ids}
), qdict AS (
    SELECT termid FROM {index}.dict WHERE list_contains(?, term) OR list_contains(?, stem)
), postings AS MATERIALIZED (
    SELECT termid, docid, tf FROM {index}.postings
    WHERE termid IN (SELECT termid FROM qdict) AND docid IN (SELECT docid FROM {index}.docs)
), df AS (
    SELECT termid, count(*) AS df FROM postings GROUP BY termid
), st AS (
    SELECT count(*) AS num_docs, avg(len) AS avgdl FROM {index}.docs
), mdocs AS MATERIALIZED (
    SELECT docid, name, len FROM {index}.docs WHERE name IN (SELECT id FROM matched)
), scores AS (
    SELECT d.name AS id,
           sum(log((st.num_docs - df.df + 0.5) / (df.df + 0.5) + 1)
               * (p.tf * 2.2 / (p.tf + 1.2 * (0.25 + 0.75 * d.len / st.avgdl)))) AS score
    FROM postings p
    JOIN mdocs d USING (docid)
    JOIN df USING (termid)
    CROSS JOIN st
    GROUP BY d.name
), top AS MATERIALIZED (
    SELECT a.id, a.published_at, coalesce(s.score, 0) AS score
    FROM articles a LEFT JOIN scores s ON s.id = a.id
    WHERE a.id IN (SELECT id FROM matched)
    ORDER BY score DESC, a.published_at DESC NULLS LAST, a.id
    LIMIT ?
)
SELECT a.source, a.published_at_local, a.title, a.canonical_url, a.text, t.score
FROM articles a JOIN top t ON t.id = a.id
WHERE a.id IN (SELECT id FROM top)
ORDER BY t.score DESC, t.published_at DESC NULLS LAST, a.id
"""

UNINDEXED_SQL = """
SELECT a.source, a.published_at_local, a.title, a.canonical_url, a.text, 0.0 AS score
FROM articles a WHERE a.id IN ({matching_ids})
ORDER BY a.published_at DESC NULLS LAST, a.id
LIMIT ?
"""


@dataclass(frozen=True)
class SearchHit:
    source: str
    published_at: str | None
    title: str | None
    url: str
    snippet: str  # matched words in **bold** (see pantau.output.emphasis)
    score: float


def prepared_predicate(con: duckdb.DuckDBPyConnection,
                       node: Node) -> tuple[SqlPredicate, bool]:
    """``node`` compiled to SQL over ``articles a``, on the full-text index when it is built
    (else on the text), and prepared on ``con``; and whether the index was used."""
    try:
        indexed = has_index(con)
    except duckdb.Error:
        indexed = False
    predicate = compile_sql(node, "a", indexed=indexed)
    predicate.prepare(con)
    return predicate, indexed


def search_articles(
    con: duckdb.DuckDBPyConnection,
    query: str | Node,
    limit: int = 10,
    sources: list[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    aliases: Mapping[str, Node] | None = None,
    sections: list[str] | None = None,
    language: str | None = None,
) -> list[SearchHit]:
    """Articles matching ``query`` (text or a parsed AST), best first.

    ``sources``, ``since``/``until``, ``sections`` and ``language`` narrow the articles searched.
    Raises :class:`query.QueryError` for a query that does not parse.
    """
    node = parse_query(query, aliases) if isinstance(query, str) else query
    where, params = article_filters(sources, since, until, sections, language)
    predicate, indexed = prepared_predicate(con, node)
    matching_ids, id_params = predicate.ids_query(where, params)
    if indexed:
        sql = SEARCH_SQL.format(matching_ids=matching_ids, index=INDEX_SCHEMA)
        args = [*id_params, predicate.rank_terms, predicate.rank_stems, limit]
    else:
        log.info("no full-text index; searching the text itself, newest first")
        sql = UNINDEXED_SQL.format(matching_ids=matching_ids)
        args = [*id_params, limit]
    rows = con.execute(sql, args).fetchall()
    return [
        SearchHit(
            source=r[0], published_at=r[1], title=r[2], url=r[3],
            snippet=make_snippet(node, r[2], r[4]), score=float(r[5]),
        )
        for r in rows
    ]
