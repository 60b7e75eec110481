"""Articles split over pages (fixture web, multipage=True): the single-page view is staged when
the outlet offers one (detakpos ?single=1), else pages 2..N are fetched into ``more_pages``
(beritaturki, WordPress <!--nextpage-->)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import fixtureweb  # noqa: E402 - part of this repository: a broken fixture web fails, never skips
from core.config import load_sources
from spiders.runner import crawl_source
from staging import iter_records, records_path

pytestmark = pytest.mark.slow


def test_split_articles_are_staged_whole(tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    with fixtureweb.FixtureWeb(multipage=True) as web:
        sources = {s.name: s for s in load_sources(web.write_sources_yaml(tmp_path / "s.yaml"))}
        chosen = [sources["detakpos"], sources["beritaturki"]]
        with ThreadPoolExecutor(max_workers=2) as pool:
            stats = list(pool.map(lambda s: crawl_source(s, "r1", staging, [],
                                                         allow_private_hosts=True, timeout=120),
                                  chosen))
        assert [s["crawl_error"] for s in stats] == [None, None]
        split = 0
        for source in chosen:
            for record in iter_records(records_path(staging, "r1", source.name)):
                assert record["type"] == "page", record
                first = record["final_url"].split("?")[0]
                if first.rstrip("/") != record["url"]:  # a single view ends in ?single=1
                    first = record["url"] + ("/" if record["final_url"].endswith("/") else "")
                pages = web.article_pages(first)
                single = web.single_page_url(first)
                if len(pages) == 1:
                    assert "more_pages" not in record and "single_page_view" not in record["hints"]
                    continue
                split += 1
                if single is not None:
                    assert record["final_url"] == single
                    assert record["hints"]["single_page_view"] == single
                    assert "more_pages" not in record
                else:
                    assert [p["final_url"] for p in record["more_pages"]] == pages[1:]
                    assert all(p["status"] == 200 and p["html"] for p in record["more_pages"])
    assert split >= 4  # two split articles per outlet in the fixture content
