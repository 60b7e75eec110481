"""The articles: enough of them, clean gold text, pages that carry the boilerplate, time travel."""

from __future__ import annotations

import html
import json
import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from fixtureweb import BOILERPLATE, FixtureWeb
from fixtureweb.content import CONTENT_DIR, ContentError, load_outlet, load_outlets
from fixtureweb.dates import portal_date
from fixtureweb.paging import pager_chrome

SAMPLES = Path("/work/shared/samples")
SLUGS = ["beritaturki", "iphedia", "detakpos"]


def _by_outlet(web: FixtureWeb, slug: str) -> list[dict]:
    return [a for a in web.expected_articles() if a["outlet"] == slug]


def _plain(page_html: str) -> str:
    """Visible-ish text of a page: tags dropped, entities decoded, whitespace collapsed."""
    without_tags = re.sub(r"<!--.*?-->|</?[A-Za-z][^>]*>", " ", page_html, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(without_tags))


@pytest.fixture(scope="module")
def pages(web: FixtureWeb, fetch) -> dict[str, str]:
    """url -> HTML of every article page."""
    return {a["url"]: fetch(a["url"]).text for a in web.expected_articles()}


@pytest.mark.parametrize("slug", SLUGS)
def test_every_outlet_has_at_least_12_articles_of_4_to_10_paragraphs(web: FixtureWeb,
                                                                     slug: str) -> None:
    articles = _by_outlet(web, slug)
    assert len(articles) >= 12
    sample_sized = [a for a in articles if not 4 <= len(a["text"].split("\n\n")) <= 10]
    # only the article reproducing the shared sample may be longer
    assert len(sample_sized) <= 1


def test_expected_records_have_the_documented_fields(web: FixtureWeb) -> None:
    for record in web.expected_articles():
        assert {"outlet", "url", "title", "text", "authors", "published_at", "updated_at",
                "section", "tags", "dateline"} <= set(record)
        assert record["authors"] and record["tags"] and record["section"]
        published = datetime.fromisoformat(record["published_at"])
        assert published.utcoffset() is not None
        assert record["dateline"].isupper()
        assert "\n\n" in record["text"]


@pytest.mark.parametrize("slug", SLUGS)
def test_expected_text_contains_no_boilerplate(web: FixtureWeb, slug: str) -> None:
    for article in _by_outlet(web, slug):
        for string in BOILERPLATE[slug]:
            assert string not in article["text"], (article["url"], string)
        assert not article["text"].startswith(article["dateline"])
        assert not re.search(r"\([a-z]{2,4}/[a-z]{2,4}\)$", article["text"])


def test_boilerplate_lists_the_strings_named_in_the_brief() -> None:
    assert {"LEAVE A REPLY", "Please enter your comment!",
            "Please enter your name here"} <= set(BOILERPLATE["beritaturki"])
    assert {"Buka Komentar", "Tutup Komentar", "No comments:", "Write Komentar", "UU ITE",
            "TOPIK", "Back to Top", "(Foto: Reuters)", "(rts/ip)",
            "MOSKOW, IPHEDIA.com -"} <= set(BOILERPLATE["iphedia"])
    assert {"Baca juga:", "ADVERTISEMENT",
            "SCROLL TO CONTINUE WITH CONTENT"} <= set(BOILERPLATE["detakpos"])


@pytest.mark.parametrize("slug", SLUGS)
def test_every_article_page_carries_its_outlets_boilerplate(web: FixtureWeb, pages, slug: str
                                                            ) -> None:
    outlet = load_outlets()[slug]
    found_anywhere: set[str] = set()
    for article in _by_outlet(web, slug):
        text = _plain(pages[article["url"]])
        for string in outlet.boilerplate:
            assert string in text, (article["url"], string)
        found_anywhere |= {s for s in BOILERPLATE[slug] if s in text}
    # the pager of split articles shows only with multipage=True (test_fixtureweb_pages.py)
    assert found_anywhere == set(BOILERPLATE[slug]) - set(pager_chrome(outlet))


def test_article_pages_hold_the_gold_text_and_the_noise_around_it(web: FixtureWeb, pages
                                                                   ) -> None:
    outlets = load_outlets()
    for record in web.expected_articles():
        text = _plain(pages[record["url"]])
        for paragraph in record["text"].split("\n\n"):
            assert re.sub(r"\s+", " ", paragraph) in text, (record["url"], paragraph[:40])
        article = next(a for a in outlets[record["outlet"]].articles
                       if record["url"].endswith(a.path))
        prefix = outlets[record["outlet"]].dateline_prefix(article)
        assert f"{prefix} {article.paragraphs[0]}" in text
        if article.initials:
            assert article.initials in text
        if article.caption:
            assert article.caption in text
        if article.standfirst:  # printed above the body and repeated inside it
            assert text.count(article.standfirst) >= 2


def test_detakpos_puts_baca_juga_and_ads_inside_the_body(web: FixtureWeb, pages) -> None:
    for record in _by_outlet(web, "detakpos"):
        page = pages[record["url"]]
        body = page[page.index("detail__body-text"):page.index("detail__body-tag")]
        assert "Baca juga: " in body and "ADVERTISEMENT" in body
        assert body.index("ADVERTISEMENT") < body.rindex("</p>")


def test_regional_articles_show_wita_and_wit(web: FixtureWeb, pages) -> None:
    offsets = {"+07:00": "WIB", "+08:00": "WITA", "+09:00": "WIT"}
    shown = set()
    for record in _by_outlet(web, "detakpos"):
        published = datetime.fromisoformat(record["published_at"])
        label = portal_date(published)
        assert label.endswith(" " + offsets[record["published_at"][-6:]])
        assert label in pages[record["url"]]
        shown.add(label.rsplit(" ", 1)[1])
    assert shown == {"WIB", "WITA", "WIT"}
    assert portal_date(datetime.fromisoformat("2026-11-20T14:05:00+07:00")) == \
        "Jumat, 20 Nov 2026 14:05 WIB"


def test_metadata_mix_json_ld_open_graph_and_neither(web: FixtureWeb, pages) -> None:
    kinds: dict[str, set[str]] = {slug: set() for slug in SLUGS}
    for record in web.expected_articles():
        page = pages[record["url"]]
        blocks = re.findall(r"<script type=['\"]application/ld\+json['\"][^>]*>(.*?)</script>",
                            page, re.S)
        articles = []
        for block in blocks:
            data = json.loads(block)
            nodes = data.get("@graph", [data])
            articles += [n for n in nodes if n.get("@type") in
                         ("Article", "NewsArticle", "BlogPosting")]
        has_og = 'property="og:title"' in page or "property='og:title'" in page
        if articles:
            assert articles[0]["datePublished"] == record["published_at"]
            kinds[record["outlet"]].add("jsonld")
        elif has_og:
            kinds[record["outlet"]].add("opengraph")
        else:
            kinds[record["outlet"]].add("none")
    assert kinds["beritaturki"] == {"jsonld", "opengraph", "none"}
    assert kinds["iphedia"] == {"jsonld", "opengraph", "none"}
    assert kinds["detakpos"] == {"jsonld"}


@pytest.mark.parametrize("slug", SLUGS)
def test_alert_keywords_have_something_to_fire_on(web: FixtureWeb, slug: str) -> None:
    texts = [a["text"].lower() for a in _by_outlet(web, slug)]
    assert sum("banjir" in t and "jakarta" in t for t in texts) >= 1
    assert sum("banjir" in t and "bekasi" in t for t in texts) >= 1


def _sample_body(name: str, start_after: str, stop_at: str) -> list[str]:
    lines = [line.strip() for line in (SAMPLES / name).read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    return lines[lines.index(start_after) + 1: lines.index(stop_at)]


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared samples not available")
def test_sample_articles_reproduce_the_sample_bodies(web: FixtureWeb) -> None:
    by_title = {a["title"]: a for a in web.expected_articles()}
    turki = _sample_body("beritaturki-extracted.txt", "66", "LEAVE A REPLY")
    turki[0] = turki[0].removeprefix("BERITATURKI.COM, Ankara- ")
    record = by_title["Rusia Akan Bekerja Sama Dengan Turki untuk Menurunkan Ketegangan di "
                      "Nagorno-Karabakh, kata Menlu Rusia"]
    assert record["text"].split("\n\n") == turki

    iphedia = _sample_body("iphedia-extracted.txt",
                           "Menteri Luar Negeri Rusia, Sergei Lavrov (Foto: Reuters)",
                           "Buka Komentar")
    iphedia[0] = iphedia[0].removeprefix("MOSKOW, IPHEDIA.com - ")
    iphedia[-1] = iphedia[-1].removesuffix(" (rts/ip)")
    record = by_title["Setelah Dugaan Serangan, Rusia Tawarkan Bantuan Batasi Perbatasan "
                      "Armenia-Azerbaijan"]
    assert record["text"].split("\n\n") == iphedia
    assert record["dateline"] == "MOSKOW"


def test_as_of_hides_future_articles(fetch_at) -> None:
    as_of = datetime.fromisoformat("2026-11-15T00:00:00+07:00")
    with FixtureWeb() as full, FixtureWeb(as_of=as_of) as past:
        everything = full.expected_articles()
        visible = past.expected_articles()
        hidden = [a for a in everything
                  if datetime.fromisoformat(a["published_at"]) > as_of]
        assert hidden and visible
        assert all(datetime.fromisoformat(a["published_at"]) <= as_of for a in visible)
        assert len(visible) + len(hidden) == len(everything)
        listings = {}  # (outlet, listing) -> body, fetched once
        for article in hidden:
            host = f"{article['outlet']}.localhost:{past.port}"
            path = article["url"].split(str(full.port), 1)[1]
            assert fetch_at(past.port, host, path).status == 404
            for listing in ("/", "/sitemap.xml", "/sitemap-news.xml", "/rss", "/feed/",
                            "/feeds/posts/default?alt=rss"):
                key = (article["outlet"], listing)
                if key not in listings:
                    listings[key] = fetch_at(past.port, host, listing).text
                assert path not in listings[key], (listing, path)
        shown = visible[0]
        host = f"{shown['outlet']}.localhost:{past.port}"
        assert fetch_at(past.port, host, shown["url"].split(str(past.port), 1)[1]).status == 200


def test_as_of_needs_a_timezone() -> None:
    with pytest.raises(ValueError, match="timezone"):
        FixtureWeb(as_of=datetime(2026, 11, 15))


def test_bad_content_is_rejected_with_file_and_fix(tmp_path: Path) -> None:
    folder = tmp_path / "iphedia"
    shutil.copytree(CONTENT_DIR / "iphedia", folder)
    articles = folder / "articles.yaml"
    articles.write_text(articles.read_text(encoding="utf-8").replace(
        "published_at: 2026-11-13T06:50:00+07:00", "published_at: 2026-11-13T06:50:00"),
        encoding="utf-8")
    with pytest.raises(ContentError, match=r"articles\.yaml article #\d+ published_at.*offset"):
        load_outlet(folder)


def test_write_sources_yaml_and_cli_module_import(web: FixtureWeb, tmp_path: Path) -> None:
    import fixtureweb.__main__ as cli

    assert callable(cli.main)
    written = web.write_sources_yaml(tmp_path / "nested" / "sources.yaml")
    assert written.is_file()
