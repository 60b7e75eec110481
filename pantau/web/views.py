"""What the web app's pages show, read from a read-only warehouse connection.

Every value reaches SQL as a bound parameter. Search is :func:`warehouse.search.search_articles`
(grouped here by story, the ``cluster_id`` of :mod:`warehouse.dedup`); attention counts use the
same query language compiled to SQL (:func:`query.compile_sql`) as exports do.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import duckdb

from extract.staged import article_id
from pantau.web.params import JAKARTA, Filters
from query import Node
from warehouse.filters import article_filters
from warehouse.lookups import in_list
from warehouse.search import SearchHit, prepared_predicate, search_articles


def known_outlets(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Outlets the warehouse knows: configured (``sources``) or with stored articles."""
    rows = con.execute(
        "SELECT name FROM sources UNION SELECT DISTINCT source FROM articles").fetchall()
    return {r[0] for r in rows}


def _where(filters: Filters) -> tuple[list[str], list[object]]:
    return article_filters(list(filters.outlets) or None, filters.since_at, filters.until_at,
                           list(filters.sections) or None, filters.language)


def matching_ids(con: duckdb.DuckDBPyConnection, node: Node | None,
                 filters: Filters) -> tuple[str, list[object]]:
    """``SELECT id`` of the articles the filters (and the query, if any) select."""
    where, params = _where(filters)
    if node is None:
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        return f"SELECT id FROM articles{clause}", params
    return prepared_predicate(con, node)[0].ids_query(where, params)


# -- search -----------------------------------------------------------------------------------

@dataclass
class StoryGroup:
    """Search hits of one story (near-duplicates across outlets), best hit first."""

    story_id: str
    hits: list[tuple[SearchHit, str]] = field(default_factory=list)  # (hit, article id)
    outlets: int = 1  # the story's articles in the warehouse, all outlets

    @property
    def first(self) -> SearchHit:
        return self.hits[0][0]


def search_stories(con: duckdb.DuckDBPyConnection, node: Node, filters: Filters,
                   limit: int) -> list[StoryGroup]:
    """The best ``limit`` matches (:func:`search_articles`), grouped by story in rank order."""
    hits = search_articles(con, node, limit=limit, sources=list(filters.outlets) or None,
                           since=filters.since_at, until=filters.until_at,
                           sections=list(filters.sections) or None, language=filters.language)
    if not hits:
        return []
    # Looked up by id (the hash of the canonical URL) in the articles(id) index and by constant
    # lists pushed into the scan (warehouse.lookups): a join would read every article's row.
    rows = con.execute(
        "SELECT canonical_url, id, coalesce(cluster_id, id) FROM articles "
        f"WHERE {in_list('id', [article_id(h.url) for h in hits])}").fetchall()
    stories = sorted({r[2] for r in rows})
    # a story's size: the articles named after it, and an article in no cluster is its own story
    sizes = dict(con.execute(
        "SELECT cluster_id, count(*) FROM articles "
        f"WHERE {in_list('cluster_id', stories)} GROUP BY cluster_id").fetchall())
    for story, count in con.execute(
            f"SELECT id, count(*) FROM articles WHERE {in_list('id', stories)} "
            "AND cluster_id IS NULL GROUP BY id").fetchall():
        sizes[story] = sizes.get(story, 0) + count
    by_url = {r[0]: (r[1], r[2], int(sizes.get(r[2], 1))) for r in rows}
    groups: dict[str, StoryGroup] = {}
    for hit in hits:
        found, story, size = by_url.get(hit.url, ("", hit.url, 1))
        group = groups.setdefault(story, StoryGroup(story, outlets=size))
        group.hits.append((hit, found))
    return list(groups.values())


# -- attention over time ----------------------------------------------------------------------

@dataclass
class Attention:
    """Articles per day (Jakarta) per outlet for a query, with the outlets' shares and the top
    authors and tags."""

    days: list[date]
    outlets: list[str]
    counts: dict[tuple[date, str], int]
    top_authors: list[tuple[str, int]]
    top_tags: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def per_outlet(self) -> list[tuple[str, int, float]]:
        totals = Counter[str]()
        for (_, outlet), n in self.counts.items():
            totals[outlet] += n
        total = self.total or 1
        return [(o, n, n / total) for o, n in totals.most_common()]


ATTENTION_SQL = """
WITH m AS ({ids}), picked AS MATERIALIZED (
    SELECT a.published_at, a.source, a.authors, a.tags FROM articles a
    WHERE a.id IN (SELECT id FROM m))
SELECT * FROM (
    SELECT 'day' AS kind, strftime(timezone('Asia/Jakarta', published_at), '%Y-%m-%d') AS key,
           source AS outlet, count(*) AS n
    FROM picked WHERE published_at IS NOT NULL GROUP BY ALL)
UNION ALL SELECT * FROM (
    SELECT 'author', value, NULL, count(*) AS n FROM (SELECT unnest(authors) AS value FROM picked)
    WHERE value <> '' GROUP BY value ORDER BY n DESC, value LIMIT ?)
UNION ALL SELECT * FROM (
    SELECT 'tag', value, NULL, count(*) AS n FROM (SELECT unnest(tags) AS value FROM picked)
    WHERE value <> '' GROUP BY value ORDER BY n DESC, value LIMIT ?)
"""


def attention(con: duckdb.DuckDBPyConnection, node: Node | None, filters: Filters,
              top: int = 10) -> Attention:
    """The attention chart's numbers (every day of the range, zero days included), in one
    query: the matching articles are found once."""
    ids, params = matching_ids(con, node, filters)
    rows = con.execute(ATTENTION_SQL.format(ids=ids), [*params, top, top]).fetchall()
    counts = {(date.fromisoformat(r[1]), r[2]): int(r[3]) for r in rows if r[0] == "day"}
    top_of = {kind: sorted(((r[1], int(r[3])) for r in rows if r[0] == kind),
                           key=lambda kv: (-kv[1], kv[0])) for kind in ("author", "tag")}
    outlets = sorted({o for _, o in counts})
    days: list[date] = []
    if counts:
        first = filters.since or min(d for d, _ in counts)
        last = filters.until or max(d for d, _ in counts)
        first, last = min(first, last), max(first, last)
        if (last - first).days > 3660:  # ten years of bars is not a chart
            first = last - timedelta(days=3660)
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return Attention(days, outlets, counts, top_of["author"], top_of["tag"])


# -- one article ------------------------------------------------------------------------------

ARTICLE_COLUMNS = ("id", "source", "url", "canonical_url", "title", "text", "authors", "editors",
                   "published_at_local", "updated_at_local", "section", "tags", "language",
                   "site_name", "dateline", "first_seen_at", "last_seen_at", "version",
                   "removed_at", "removed_status", "cluster_id")


@dataclass
class Version:
    number: int
    title: str | None
    text: str
    first_seen_at: datetime | None
    superseded_at: datetime | None


@dataclass
class ArticlePage:
    article: dict[str, Any]
    versions: list[Version]  # oldest first, the current one last
    copies: list[dict[str, Any]]  # other articles of the same story
    removals: list[dict[str, Any]]


def article_page(con: duckdb.DuckDBPyConnection, article_id: str) -> ArticlePage | None:
    """An article with its versions, removals and the story's other copies (None: unknown id)."""
    row = con.execute(f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles WHERE id = ?",
                      [article_id]).fetchone()
    if row is None:
        return None
    article = dict(zip(ARTICLE_COLUMNS, row, strict=True))
    versions = [
        Version(int(r[0]), r[1], r[2], r[3], r[4])
        for r in con.execute(
            "SELECT version, title, text, first_seen_at, superseded_at FROM article_versions "
            "WHERE article_id = ? ORDER BY version", [article_id]).fetchall()
    ]
    versions.append(Version(int(article["version"]), article["title"], article["text"],
                            article["first_seen_at"] if not versions else
                            versions[-1].superseded_at, None))
    story = article["cluster_id"] or article_id
    copies = [
        dict(zip(("id", "source", "title", "published_at_local", "url"), r, strict=True))
        for r in con.execute(
            "SELECT id, source, title, published_at_local, canonical_url FROM articles "
            "WHERE coalesce(cluster_id, id) = ? AND id <> ? "
            "ORDER BY coalesce(published_at, first_seen_at), id", [story, article_id]).fetchall()
    ]
    removals = [
        dict(zip(("removed_at", "removed_status", "restored_at"), r, strict=True))
        for r in con.execute(
            "SELECT removed_at, removed_status, restored_at FROM article_removals "
            "WHERE article_id = ? ORDER BY removed_at", [article_id]).fetchall()
    ]
    return ArticlePage(article, versions, copies, removals)


# -- outlets ----------------------------------------------------------------------------------

@dataclass
class OutletRow:
    name: str
    nightly: list[tuple[str, int]]  # (run started, new articles), oldest first
    last_run: str | None
    last_crawl: datetime | None
    errors: int
    requests: int
    flags: list[str]
    articles: int
    checked: str | None  # the `sources check` record in the sources file, if any


def checked_records(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Per outlet, the ``checked: {date, by}`` record of its sources entry as last loaded
    (``pantau sources check --record`` writes it for outlets it found ok)."""
    out = {}
    for name, config in con.execute("SELECT name, config FROM sources").fetchall():
        checked = (json.loads(config) if isinstance(config, str) else config or {}).get("checked")
        if isinstance(checked, dict) and checked.get("date"):
            verdict = "ok" if checked.get("by") == "sources-check" else "verified"
            out[name] = f"{verdict}, {checked['date']} ({checked.get('by', '?')})"
    return out


def outlet_rows(con: duckdb.DuckDBPyConnection, nights: int = 30) -> list[OutletRow]:
    """Health per outlet from its latest run (:func:`warehouse.health.outlet_health`) and its
    new articles over the last ``nights`` runs."""
    from warehouse.health import outlet_health

    checked = checked_records(con)
    names = sorted(known_outlets(con))
    runs = con.execute(
        "SELECT source, run_id, coalesce(started_at, loaded_at), new_articles FROM ("
        " SELECT *, row_number() OVER (PARTITION BY source ORDER BY loaded_at DESC) AS k "
        " FROM crawl_runs WHERE run_id NOT LIKE 'reprocess%') WHERE k <= ? "
        "ORDER BY source, loaded_at", [nights]).fetchall()
    nightly: dict[str, list[tuple[str, int]]] = {}
    latest: dict[str, tuple[str, datetime]] = {}
    for source, run_id, started, new in runs:
        nightly.setdefault(source, []).append((str(started)[:16], int(new)))
        latest[source] = (run_id, started)
    health = {}
    for run_id in {r for r, _ in latest.values()}:
        for found in outlet_health(con, run_id):
            if latest.get(found.source, ("",))[0] == run_id:
                health[found.source] = found
    stored = dict(con.execute("SELECT source, count(*) FROM articles GROUP BY source").fetchall())
    out = []
    for name in names:
        h = health.get(name)
        run = latest.get(name)
        out.append(OutletRow(
            name=name, nightly=nightly.get(name, []), last_run=run[0] if run else None,
            last_crawl=run[1] if run else None, errors=h.errors if h else 0,
            requests=h.requests if h else 0, flags=list(h.flags) if h else [],
            articles=int(stored.get(name, 0)), checked=checked.get(name)))
    return out


# -- alerts -----------------------------------------------------------------------------------

@dataclass
class RuleMatch:
    article_id: str
    source: str | None
    title: str | None
    url: str | None
    published_at: str | None
    published: datetime | None
    matched_at: datetime
    snippet: str | None
    statuses: dict[str, str]  # channel -> pending | sent | failed


def rule_matches(con: duckdb.DuckDBPyConnection, rule: str, limit: int = 50) -> list[RuleMatch]:
    """The rule's latest matches (its alert rows, one per article) with each channel's status."""
    rows = con.execute(
        "SELECT al.article_id, any_value(a.source), any_value(a.title), "
        "any_value(a.canonical_url), any_value(a.published_at_local), any_value(a.published_at), "
        "min(al.created_at), any_value(al.snippet), "
        "to_json(map(list(al.channel), list(al.status))) "
        "FROM alerts al LEFT JOIN articles a ON a.id = al.article_id WHERE al.rule = ? "
        "GROUP BY al.article_id ORDER BY min(al.created_at) DESC, al.article_id LIMIT ?",
        [rule, limit]).fetchall()
    return [RuleMatch(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], json.loads(r[8]))
            for r in rows]


def status_counts(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, int]]:
    """Per rule, alert rows by delivery status."""
    out: dict[str, dict[str, int]] = {}
    for rule, status, n in con.execute(
            "SELECT rule, status, count(*) FROM alerts GROUP BY ALL").fetchall():
        out.setdefault(rule, {})[status] = int(n)
    return out


def now_jakarta() -> datetime:
    return datetime.now(JAKARTA)
