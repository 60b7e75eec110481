"""Matching the alert rules against stored articles: the new (rule, article, channel) alerts.

Each article is tokenised once per run and only evaluated against rules that could match it.
Articles already matched against the same rules (table ``alert_scans``, keyed by the rules'
fingerprint and the article's content hash) are skipped; changing the rules re-matches
everything once. One alert per story: a copy of an already alerted story does not alert again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import duckdb

from alerts.delivery_log import NewAlert, existing_keys
from alerts.rules import Rule, ruleset_fingerprint
from query.matcher import Document, RuleIndex, article_tokens
from query.snippet import ArticleText, make_snippet
from warehouse.lookups import LOOKUP_MAX, in_list

BATCH = 500


def _article_filter(rules: list[Rule]) -> tuple[str, list[object]]:
    """SQL restricting the article scan to what at least one rule can use."""
    if all(r.outlets for r in rules):
        outlets = json.dumps(sorted({o for r in rules for o in r.outlets}))
        return " AND a.source IN (SELECT unnest(from_json(?::JSON, '[\"VARCHAR\"]')))", [outlets]
    return "", []


@dataclass
class Matches:
    """What :func:`find_matches` found."""

    alerts: list[NewAlert]
    matched: dict[str, int]  # rule -> newly matched articles
    scanned: list[tuple[str, str]]  # (article id, content hash) matched against ``ruleset``
    ruleset: str


def find_matches(
    con: duckdb.DuckDBPyConnection, rules: list[Rule], rescan: bool = False
) -> Matches:
    """New (rule, article, channel) alerts: matches without an alert row yet.

    Only articles not yet matched against these very rules (or changed since) are read, unless
    ``rescan``.
    """
    ruleset = ruleset_fingerprint(rules)
    if not rules:
        return Matches([], {}, [], ruleset)
    index: RuleIndex[int] = RuleIndex()
    for i, rule in enumerate(rules):
        index.add(i, rule.node)
    done = existing_keys(con, [r.name for r in rules])
    where, params = _article_filter(rules)
    scope = "articles a"
    if not rescan:
        # Which articles to read is found by narrow columns; their text is then read through
        # the index on articles(id) (warehouse.lookups), so a night reads the night's articles,
        # not the history's text. A first scan of a large warehouse reads them all.
        scanned_with = "articles a LEFT JOIN alert_scans s ON s.article_id = a.id"
        where = (" AND (s.article_id IS NULL OR s.content_hash <> a.content_hash "
                 "OR s.ruleset <> ?)" + where)
        params = [ruleset, *params]
        todo = [r[0] for r in con.execute(
            f"SELECT a.id FROM {scanned_with} WHERE TRUE{where}", params).fetchall()]
        if len(todo) <= LOOKUP_MAX:
            where, params = " AND " + in_list("a.id", todo), []
        else:
            scope = scanned_with
    cursor = con.execute(
        "SELECT a.id, a.source, a.title, a.text, lower(a.section), a.language, "
        "coalesce(a.published_at, a.first_seen_at), a.content_hash, "
        "coalesce(a.cluster_id, a.id) "
        # earliest first: of a story's copies, the first one matched carries the alert
        f"FROM {scope} WHERE TRUE{where} "
        "ORDER BY coalesce(a.published_at, a.first_seen_at), a.id",
        params,
    )
    new: list[NewAlert] = []
    matched: dict[str, int] = {r.name: 0 for r in rules}
    scanned: list[tuple[str, str]] = []
    while True:
        batch = cursor.fetchmany(BATCH)
        if not batch:
            break
        docs = [article_tokens(row[2], row[3]) for row in batch]
        index.prepare(docs)  # one stemmer query for the whole batch
        for row, tokens in zip(batch, docs, strict=True):
            article_id, source, title, text, section, language, when, content_hash, story = row
            scanned.append((article_id, content_hash))
            doc = Document(tokens)
            article: ArticleText | None = None
            for i in index.match(doc):
                rule = rules[i]
                if rule.outlets and source not in rule.outlets:
                    continue
                if rule.sections and section not in rule.sections:
                    continue
                if rule.language and language != rule.language:
                    continue
                if rule.since and (when is None or when < rule.since):
                    continue
                # One alert per story: a copy of an already alerted story does not alert again.
                channels = [c for c in rule.channel_names
                            if (rule.name, article_id, c) not in done
                            and (rule.name, story, c) not in done]
                if not channels:
                    continue
                article = article or ArticleText.of(title, text)
                snippet = make_snippet(rule.node, title, text, article=article)
                matched[rule.name] += 1
                new.extend(NewAlert(rule.name, article_id, c, snippet) for c in channels)
                done.update((rule.name, story, c) for c in channels)
    return Matches(new, matched, scanned, ruleset)
