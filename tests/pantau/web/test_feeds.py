"""The Atom feed per rule parses with feedparser (as feed readers do) and lists the rule's
matches once each."""

from __future__ import annotations

from pathlib import Path

import feedparser
from starlette.testclient import TestClient

from warehouse.db import connect_reader


def test_rule_feed_is_valid_atom_with_one_entry_per_match(client: TestClient,
                                                          web_db: Path) -> None:
    got = client.get("/feeds/banjir_jabodetabek.atom")
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(got.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "pantau: banjir_jabodetabek"
    con = connect_reader(web_db)
    try:
        matched = {r[0]: r[1] for r in con.execute(
            "SELECT DISTINCT al.article_id, a.canonical_url FROM alerts al "
            "JOIN articles a ON a.id = al.article_id WHERE al.rule = 'banjir_jabodetabek'"
        ).fetchall()}
    finally:
        con.close()
    assert len(feed.entries) == len(matched) > 0
    assert {e.id for e in feed.entries} == {f"urn:pantau:article:{i}" for i in matched}
    assert {e.link for e in feed.entries} == set(matched.values())
    assert all(e.updated_parsed and e.summary for e in feed.entries)
    self_link = next(link.href for link in feed.feed.links if link.rel == "self")
    assert self_link.endswith("/feeds/banjir_jabodetabek.atom")


def test_unknown_rule_has_no_feed(client: TestClient) -> None:
    assert client.get("/feeds/no_such_rule.atom").status_code == 404
