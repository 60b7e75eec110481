"""The monitoring desk in a real browser: Debian's Chromium driven by Playwright against
`pantau serve` on loopback over the demo warehouse.

Screenshots go to ``screenshots/`` at the repository root (git-ignored); the README shows two
of them (copied to docs/img/).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest

from alerts.channels.base import Alert, DailyDigest
from alerts.channels.daily_render import html_text
from warehouse.db import connect_reader

from .browser import ensure_chromium
from .conftest import REPO, expected_attention

SHOTS = REPO / "screenshots"


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium, installed with apt on a fresh machine (see browser.py)."""
    executable, why = ensure_chromium()
    if executable is None:
        pytest.skip(f"browser tests need Chromium: {why}")
    return executable


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_path, headless=True,
                                     args=["--no-sandbox", "--disable-gpu"])
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture()
def page(browser: Any, served: str) -> Iterator[Any]:
    context = browser.new_context(base_url=served, viewport={"width": 1200, "height": 800})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    try:
        yield tab
    finally:
        context.close()


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_search_page_finds_and_groups_a_story(page: Any) -> None:
    page.goto("/search")
    page.fill("input[name=q]", "leptospirosis OR banjir")
    page.click("button[type=submit]")
    page.wait_for_selector("#summary")
    assert "q=leptospirosis+OR+banjir" in page.url  # the URL is shareable
    hits = int(page.get_attribute("#summary", "data-hits"))
    stories = int(page.get_attribute("#summary", "data-stories"))
    assert hits > stories > 0  # the two outlets' copies of one story are one entry
    assert page.locator("li.story .hit.copy").count() == hits - stories
    assert page.locator("mark").count() > 0
    shot(page, "search")
    page.click("#attention-link")
    page.wait_for_selector("svg.chart")
    assert "/attention?q=" in page.url


def test_attention_chart_numbers_match_sql(page: Any, web_db: Path) -> None:
    page.goto("/attention?q=banjir+OR+gempa")
    bars = page.eval_on_selector_all(
        "svg.chart rect.bar",
        "els => els.map(e => [e.dataset.day, e.dataset.outlet, Number(e.dataset.count)])")
    expected = expected_attention(web_db, "banjir OR gempa")
    assert {(d, o): n for d, o, n in bars} == dict(expected)
    visible = page.locator("svg.chart rect.bar").first.bounding_box()
    assert visible and visible["height"] > 0  # drawn, not only in the markup
    assert page.locator("figcaption .key").count() == len({o for _, o in expected})
    shot(page, "attention")


def test_article_diff_shows_the_correction(page: Any, web_db: Path) -> None:
    con = connect_reader(web_db)
    try:
        row = con.execute("SELECT article_id FROM article_versions LIMIT 1").fetchone()
    finally:
        con.close()
    assert row
    page.goto(f"/article/{row[0]}")
    inserted = page.locator("#versions ins.diff").all_inner_texts()
    assert any("Ralat" in text for text in inserted)
    colour = page.eval_on_selector("#versions ins.diff",
                                   "e => getComputedStyle(e).backgroundColor")
    assert colour != "rgba(0, 0, 0, 0)"  # the stylesheet loaded (from the app, no CDN)
    shot(page, "article")


def test_outlets_page_lists_health(page: Any, web_db: Path) -> None:
    page.goto("/outlets")
    con = connect_reader(web_db)
    try:
        outlets = {r[0] for r in con.execute("SELECT DISTINCT source FROM articles").fetchall()}
    finally:
        con.close()
    rows = page.eval_on_selector_all("#outlets tbody tr", "els => els.map(e => e.dataset.outlet)")
    assert set(rows) == outlets
    assert page.locator("#outlets svg.spark polyline").count() == len(outlets)
    shot(page, "outlets")


def test_feed_link_leads_to_a_valid_feed(page: Any) -> None:
    page.goto("/alerts")
    discovered = page.eval_on_selector_all(
        "link[rel=alternate][type='application/atom+xml']", "els => els.map(e => e.href)")
    link = page.locator("#banjir_jabodetabek a.feed")
    href = link.get_attribute("href")
    assert href == "/feeds/banjir_jabodetabek.atom"
    assert any(u.endswith(href) for u in discovered)
    answer = page.request.get(href)
    assert answer.ok
    feed = feedparser.parse(answer.body())
    assert not feed.bozo and len(feed.entries) > 0
    shot(page, "alerts")


def test_daily_digest_email_html_renders(page: Any) -> None:
    """The HTML part of the daily digest email (alerts/channels/daily_render.py) as a browser
    shows it: the coverage bars are drawn to scale, the stories listed per rule."""
    when = datetime(2026, 11, 20, 19, tzinfo=UTC)

    def alert(i: int, rule: str, source: str, title: str,
              also: tuple[tuple[str, str], ...] = ()) -> Alert:
        return Alert(f"id{i}", rule, "q", f"a{i}", "redaksi", source, f"http://x.example/{i}",
                     title, f"2026-11-20T0{i}:00:00+07:00", "air **banjir** naik", when, also)

    digest = DailyDigest("redaksi", date(2026, 11, 21), (
        alert(1, "banjir", "detakpos", "Banjir Rendam Jakarta",
              (("iphedia", "http://y.example/1"),)),
        alert(2, "banjir", "iphedia", "Tanggul Bekasi Jebol"),
        alert(3, "gempa", "beritaturki", "Gempa Ambon"),
    ), (("banjir", "~banjir"), ("gempa", "gempa")))
    page.set_content(html_text(digest))
    bars = page.eval_on_selector_all(
        "table.coverage[data-rule=banjir] tr.coverage-row",
        "rows => rows.map(r => [r.dataset.outlet, Number(r.dataset.count), "
        "r.querySelector('div').getBoundingClientRect().width])")
    assert bars == [["iphedia", 2, 160], ["detakpos", 1, 80]]
    assert page.locator("section.rule").count() == 2
    assert page.locator("li.story mark").count() == 3
    shot(page, "digest")
