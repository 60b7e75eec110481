"""Listing pages: pagination by rel=next / "Selanjutnya", sections, and as_of respected."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import datetime

import pytest

from fixtureweb import FixtureWeb

SLUGS = ["beritaturki", "iphedia", "detakpos"]
REL_NEXT = re.compile(r"""<link rel=['"]next['"] href=['"]([^'"]+)['"]""")
CANONICAL = re.compile(r"""<link rel=['"]canonical['"] href=['"]([^'"]+)['"]""")
HREF = re.compile(r"""href=['"]([^'"]+)['"]""")


@pytest.fixture(scope="module")
def lister() -> Iterator[FixtureWeb]:
    with FixtureWeb() as web:
        yield web


@pytest.fixture(autouse=True)
def _final_state_after(lister: FixtureWeb) -> Iterator[None]:
    yield
    lister.set_as_of(None)


def _walk(fetch_at, web: FixtureWeb, start: str, limit: int = 30) -> tuple[list[str], list[str]]:
    """Follow rel=next from ``start``; returns (listing URLs visited, every href seen)."""
    visited, hrefs = [], []
    url: str | None = start
    while url and len(visited) < limit:
        page = fetch_at(web.port, url)
        assert page.status == 200, url
        visited.append(url)
        hrefs += [html.unescape(h) for h in HREF.findall(page.text)]
        found = REL_NEXT.search(page.text)
        url = html.unescape(found.group(1)) if found else None
    return visited, hrefs


@pytest.mark.parametrize("moment", ["2026-11-14T02:00:00+07:00", "2026-11-19T02:00:00+07:00",
                                    None])
@pytest.mark.parametrize("slug", SLUGS)
def test_rel_next_walks_every_visible_article_and_nothing_else(lister: FixtureWeb, fetch_at,
                                                               slug: str,
                                                               moment: str | None) -> None:
    ever = {e.url for e in lister.events() if e.outlet == slug}
    lister.set_as_of(datetime.fromisoformat(moment) if moment else None)
    visible = {a["url"] for a in lister.expected_articles() if a["outlet"] == slug}
    pages, hrefs = _walk(fetch_at, lister, lister.base_url(slug))
    assert ever & set(hrefs) == visible  # all of today's articles, none from the future/removed
    assert len(pages) == -(-len(visible) // 10)  # ten per page, no empty last page


def test_portal_says_selanjutnya_and_others_have_their_own_next_links(lister: FixtureWeb,
                                                                      fetch_at) -> None:
    detak = fetch_at(lister.port, lister.base_url("detakpos")).text
    assert re.search(r'href="[^"]+/indeks\?page=2">Selanjutnya<', detak)
    turki = fetch_at(lister.port, lister.base_url("beritaturki")).text
    assert re.search(r'href="[^"]+/page/2/" aria-label="next-page"', turki)
    blog = fetch_at(lister.port, lister.base_url("iphedia")).text
    assert "blog-pager-older-link" in blog and "Posting Lama" in blog


@pytest.mark.parametrize("target", ["/indeks?page=abc", "/indeks?page=0", "/indeks?page=99"])
def test_bad_portal_page_numbers_are_404(lister: FixtureWeb, fetch_at, target: str) -> None:
    assert fetch_at(lister.port, f"detakpos.localhost:{lister.port}", target).status == 404


def test_wordpress_page_past_the_end_is_404(lister: FixtureWeb, fetch_at) -> None:
    assert fetch_at(lister.port, f"beritaturki.localhost:{lister.port}", "/page/99/").status \
        == 404


def test_section_listings_paginate_in_every_cms(fetch_at) -> None:
    with FixtureWeb(scale=(3, 130), seed=5) as web:
        records = web.expected_articles()
        outlets = web._outlets  # noqa: SLF001 - section paths come from the generated data
        for slug in web.outlets:
            outlet = outlets[slug]
            section = outlet.sections[0]
            start = web.base_url(slug).rstrip("/") + outlet.section_path.format(
                section=section.slug)
            want = {r["url"] for r in records if r["outlet"] == slug
                    and r["section"] == section.name}
            pages, hrefs = _walk(fetch_at, web, start)
            assert len(pages) == 3, (outlet.cms, pages)
            assert want <= set(hrefs), outlet.cms
            others = {r["url"] for r in records if r["outlet"] == slug} - want
            listed = set(hrefs) & others
            # only the sidebar (latest / popular / related widgets) may show other sections
            assert len(listed) <= 12 * len(pages), outlet.cms
            for url in pages[1:]:
                canonical = CANONICAL.search(fetch_at(web.port, url).text)
                if canonical:  # blogger label pages have none
                    assert html.unescape(canonical.group(1)) == url
