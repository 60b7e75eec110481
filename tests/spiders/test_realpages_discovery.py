"""Discovery on real outlet pages (shared/realpages, 2015-2017): feeds and home pages.

The ``*-mainpage.html`` files are real RSS feeds (Antara, detik, KapanLagi, Republika) or real
home pages; gold.json lists the first article URLs each one links to. Feeds must yield all of
them; home pages, read as listings without an ``article_pattern`` (the generic heuristic), too.
Skipped when the shared folder is absent (a plain clone of the repo).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from scrapy.http import HtmlResponse

from extract.urls import canonicalize_url
from spiders.discovery import looks_like_article, page_links, parse_feed

REALPAGES = Path(__file__).resolve().parents[3] / "shared" / "realpages"  # next to the repo

pytestmark = pytest.mark.skipif(not REALPAGES.is_dir(), reason="shared/realpages not available")


def mainpages() -> list[tuple[str, list[str]]]:
    if not REALPAGES.is_dir():
        return []
    gold = json.loads((REALPAGES / "gold.json").read_text("utf-8"))
    return [(k, v["_urls_from_mainpage"]) for k, v in sorted(gold.items())
            if "_urls_from_mainpage" in v]


@pytest.mark.parametrize(("name", "gold"), mainpages())
def test_mainpage_yields_its_gold_article_urls(name: str, gold: list[str]) -> None:
    body = (REALPAGES / name).read_bytes()
    home = f"http://{urlsplit(gold[0]).hostname}/"
    if body.lstrip().startswith(b"<?xml"):
        doc = parse_feed(body, home)
        found = {canonicalize_url(c.url) for c in doc.entries}
        assert doc.problem is None
    else:
        links = page_links(HtmlResponse(url=home, body=body))
        found = {canonicalize_url(c.url) for c in links if looks_like_article(c.url)}
        assert len(found) < len(links)  # the heuristic does drop navigation links
    missing = [u for u in gold if canonicalize_url(u) not in found]
    assert missing == []
