"""Articles split over pages end up whole in the warehouse: the one-page view where the outlet
has one, otherwise all pages joined in order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.config import load_sources
from spiders.runner import crawl_source
from warehouse.db import connect_writer
from warehouse.loader import load_run

pytestmark = pytest.mark.slow


def words(text: str) -> list[str]:
    return text.split()


def f1(got: str, want: str) -> float:
    from collections import Counter

    g, w = Counter(words(got)), Counter(words(want))
    common = sum((g & w).values())
    if not common:
        return 0.0
    p, r = common / sum(g.values()), common / sum(w.values())
    return 2 * p * r / (p + r)


def test_split_articles_are_loaded_whole(tmp_path: Path) -> None:
    from fixtureweb import FixtureWeb

    with FixtureWeb(multipage=True) as web:
        sources = load_sources(web.write_sources_yaml(tmp_path / "sources.yaml"))
        split: list[dict[str, Any]] = [
            a for a in web.expected_articles() if len(web.article_pages(a["url"])) > 1
        ]
        assert {a["outlet"] for a in split} >= {"beritaturki", "detakpos"}
        staging = tmp_path / "staging"
        for source in sources:
            stats = crawl_source(source, "r1", staging, {}, allow_private_hosts=True)
            assert not stats["crawl_error"], stats
    con = connect_writer(tmp_path / "w.duckdb")
    load_run(con, staging, "r1", sources, workers=1)
    texts = dict(con.execute("SELECT title, text FROM articles").fetchall())
    con.close()
    for art in split:
        got = texts[art["title"]]
        assert f1(got, art["text"]) >= 0.97, art["url"]
        first = art["text"].split("\n\n")[0]
        assert got.count(first) == 1, f"{art['url']}: first paragraph repeated"
