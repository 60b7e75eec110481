"""Time travel: articles appear, get updated and removed day by day; one server, many nights."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from fixtureweb import FixtureWeb
from fixtureweb.content import CONTENT_DIR, ContentError, load_outlet

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
WIB = datetime.fromisoformat("2026-11-01T00:00:00+07:00").tzinfo
RALAT_PATH = "/2026/11/16/turki-dan-indonesia-sepakati-produksi-bersama-kapal-patroli/"
RETITLED_PATH = "/2026/11/startup-bandung-kembangkan-aplikasi-pendeteksi-hama-padi.html"
GONE_410_PATH = "/berita/d-7711544/pemerintah-dan-dpr-sepakati-jadwal-pembahasan-ruu-penyiaran"
GONE_404_PATH = "/2026/11/bmkg-peringatkan-hujan-lebat-di-jabodetabek-sepekan-ke-depan.html"


def night(day: int, hour: int = 2) -> datetime:
    """02:00 WIB on ``day`` November 2026: when the nightly crawl runs."""
    return datetime(2026, 11, day, hour, tzinfo=WIB)


@pytest.fixture(scope="module")
def clock() -> Iterator[FixtureWeb]:
    with FixtureWeb() as web:
        yield web


@pytest.fixture(autouse=True)
def _final_state_after(clock: FixtureWeb) -> Iterator[None]:
    yield
    clock.set_as_of(None)


def _url(web: FixtureWeb, slug: str, path: str) -> str:
    return web.base_url(slug).rstrip("/") + path


def _sitemap(fetch_at, web: FixtureWeb, url: str) -> dict[str, str]:
    """loc -> lastmod, following sitemap indexes."""
    response = fetch_at(web.port, url)
    assert response.status == 200, url
    root = ET.fromstring(response.body)
    if root.tag == f"{SITEMAP_NS}sitemapindex":
        found: dict[str, str] = {}
        for child in root.iter(f"{SITEMAP_NS}loc"):
            found.update(_sitemap(fetch_at, web, child.text or ""))
        return found
    return {u.findtext(f"{SITEMAP_NS}loc") or "": u.findtext(f"{SITEMAP_NS}lastmod") or ""
            for u in root.iter(f"{SITEMAP_NS}url")}


def _all_sitemaps(fetch_at, web: FixtureWeb) -> dict[str, str]:
    found: dict[str, str] = {}
    for slug in web.outlets:
        found.update(_sitemap(fetch_at, web, web.base_url(slug) + "sitemap.xml"))
    return found


def test_content_spreads_over_days_with_updates_and_removals(clock: FixtureWeb) -> None:
    days = clock.timeline()
    publishing = [d.date for d in days if d.new]
    assert publishing[0] == date(2026, 11, 10) and publishing[-1] == date(2026, 11, 20)
    assert len(publishing) >= 10
    by_day = {d.date: d for d in days}
    assert _url(clock, "beritaturki", RALAT_PATH) in by_day[date(2026, 11, 17)].updated
    assert _url(clock, "iphedia", RETITLED_PATH) in by_day[date(2026, 11, 18)].updated
    assert by_day[date(2026, 11, 18)].removed == [_url(clock, "iphedia", GONE_404_PATH)]
    assert by_day[date(2026, 11, 19)].removed == [_url(clock, "detakpos", GONE_410_PATH)]
    kinds = [e.kind for e in clock.events()]
    assert kinds.count("removed") == 2 and kinds.count("updated") >= 5
    moments = [e.at for e in clock.events()]
    assert moments == sorted(moments)


def test_night_after_night_on_one_server(clock: FixtureWeb, fetch_at) -> None:
    """Each night the sitemaps show exactly what changes_between() announces."""
    port = clock.port
    previous: dict[str, str] = {}
    previous_moment: datetime | None = None
    totals = {"new": 0, "updated": 0, "removed": 0}
    for day in range(10, 22):
        moment = night(day)
        clock.set_as_of(moment)
        assert clock.port == port
        listed = _all_sitemaps(fetch_at, clock)
        expected = {a["url"]: a for a in clock.expected_articles()}
        assert set(listed) == set(expected)
        changes = clock.changes_between(previous_moment, moment)
        assert changes.new == set(listed) - set(previous)
        assert changes.removed == set(previous) - set(listed)
        assert changes.updated == {u for u in set(listed) & set(previous)
                                   if listed[u] != previous[u]}
        assert changes.edited <= changes.updated
        for url in changes.removed:
            assert fetch_at(port, url).status in (404, 410)
        for url, record in expected.items():
            assert listed[url] == (record["updated_at"] or record["published_at"])
        totals["new"] += len(changes.new)
        totals["updated"] += len(changes.updated)
        totals["removed"] += len(changes.removed)
        previous, previous_moment = listed, moment
    final = clock.changes_between(None, None)
    assert totals["new"] == len(final.new) + 2  # the two removed articles were new once
    assert totals["updated"] >= 3 and totals["removed"] == 2


def test_a_ralat_paragraph_is_added_a_day_later(clock: FixtureWeb, fetch_at) -> None:
    url = _url(clock, "beritaturki", RALAT_PATH)
    clock.set_as_of(night(17))
    before = fetch_at(clock.port, url)
    record = next(a for a in clock.expected_articles() if a["url"] == url)
    assert "Ralat" not in before.text and "Ralat" not in record["text"]
    assert record["updated_at"] is None

    clock.set_as_of(night(18))
    after = fetch_at(clock.port, url)
    record = next(a for a in clock.expected_articles() if a["url"] == url)
    assert record["text"].split("\n\n")[-1].startswith("Ralat: ")
    assert record["updated_at"] == "2026-11-17T10:15:00+07:00"
    assert "Ralat: Dalam versi sebelumnya" in after.text
    assert after.headers["etag"] != before.headers["etag"]
    assert after.headers["last-modified"] == "Tue, 17 Nov 2026 03:15:00 GMT"
    stale = fetch_at(clock.port, url, headers={"If-None-Match": before.headers["etag"]})
    assert stale.status == 200
    fresh = fetch_at(clock.port, url, headers={"If-None-Match": after.headers["etag"]})
    assert fresh.status == 304
    assert clock.changes_between(night(17), night(18)).edited >= {url}


def test_a_retitled_article_shows_the_new_title_in_feed_and_page(clock: FixtureWeb,
                                                                  fetch_at) -> None:
    url = _url(clock, "iphedia", RETITLED_PATH)
    feed = clock.base_url("iphedia") + "feeds/posts/default?alt=rss"
    clock.set_as_of(night(18))
    old_title = next(a["title"] for a in clock.expected_articles() if a["url"] == url)
    clock.set_as_of(night(19))
    new_title = next(a["title"] for a in clock.expected_articles() if a["url"] == url)
    assert new_title != old_title and new_title.endswith("Diuji 300 Petani Karawang")
    items = ET.fromstring(fetch_at(clock.port, feed).body).iter("item")
    item = next(i for i in items if i.findtext("link") == url)
    assert item.findtext("title") == new_title
    assert item.findtext("{http://www.w3.org/2005/Atom}updated") == "2026-11-18T08:30:00+07:00"
    assert new_title in fetch_at(clock.port, url).text


@pytest.mark.parametrize(("slug", "path", "gone_at", "status"), [
    ("detakpos", GONE_410_PATH, datetime(2026, 11, 19, 9, tzinfo=WIB), 410),
    ("iphedia", GONE_404_PATH, datetime(2026, 11, 18, 20, tzinfo=WIB), 404),
])
def test_removed_articles_answer_404_or_410_and_leave_every_list(
        clock: FixtureWeb, fetch_at, slug: str, path: str, gone_at: datetime,
        status: int) -> None:
    url = _url(clock, slug, path)
    lists = ["", "sitemap.xml", "sitemap-news.xml", "rss", "feed/",
             "feeds/posts/default?alt=rss"]
    clock.set_as_of(gone_at - timedelta(minutes=1))
    assert fetch_at(clock.port, url).status == 200
    assert any(path in fetch_at(clock.port, clock.base_url(slug) + p).text for p in lists)
    clock.set_as_of(gone_at)
    answer = fetch_at(clock.port, url)
    assert answer.status == status and "<html" in answer.text
    assert url not in {a["url"] for a in clock.expected_articles()}
    for listing in lists:
        assert path not in fetch_at(clock.port, clock.base_url(slug) + listing).text, listing


def test_an_updated_at_still_in_the_future_is_not_shown(clock: FixtureWeb) -> None:
    path = "/berita/d-7712345/banjir-rendam-45-rt-di-jakarta-ketinggian-air-capai-150-cm"
    url = _url(clock, "detakpos", path)
    clock.set_as_of(datetime(2026, 11, 20, 8, tzinfo=WIB))
    record = next(a for a in clock.expected_articles() if a["url"] == url)
    assert record["updated_at"] is None
    clock.set_as_of(datetime(2026, 11, 20, 10, tzinfo=WIB))
    record = next(a for a in clock.expected_articles() if a["url"] == url)
    assert record["updated_at"] == "2026-11-20T09:10:00+07:00"


def test_as_of_property_and_validation(clock: FixtureWeb) -> None:
    clock.as_of = night(15)
    assert clock.as_of == night(15)
    assert all(datetime.fromisoformat(a["published_at"]) <= night(15)
               for a in clock.expected_articles())
    with pytest.raises(ValueError, match="timezone"):
        clock.set_as_of(datetime(2026, 11, 15))
    with pytest.raises(ValueError, match="timezone"):
        clock.changes_between(datetime(2026, 11, 15), None)
    with pytest.raises(ValueError, match="is after until"):
        clock.changes_between(night(16), night(15))


def _copy_outlet(tmp_path: Path, slug: str) -> Path:
    folder = tmp_path / slug
    shutil.copytree(CONTENT_DIR / slug, folder)
    return folder


def _edit(folder: Path, old: str, new: str) -> None:
    articles = folder / "articles.yaml"
    text = articles.read_text(encoding="utf-8")
    assert old in text
    articles.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_updates_can_replace_the_paragraphs(tmp_path: Path) -> None:
    folder = _copy_outlet(tmp_path, "iphedia")
    _edit(folder, "    published_at: 2026-11-13T06:50:00+07:00\n",
          "    published_at: 2026-11-13T06:50:00+07:00\n"
          "    updates:\n"
          "      - at: 2026-11-14T06:00:00+07:00\n"
          "        paragraphs: [Paragraf pertama yang baru., Paragraf kedua yang baru.]\n")
    article = next(a for a in load_outlet(folder).articles
                   if a.published_at == datetime(2026, 11, 13, 6, 50, tzinfo=WIB))
    assert article.state_at(datetime(2026, 11, 13, 12, tzinfo=WIB)) is article
    final = article.state_at(None)
    assert final.paragraphs == ("Paragraf pertama yang baru.", "Paragraf kedua yang baru.")
    assert final.updated_at == datetime(2026, 11, 14, 6, tzinfo=WIB)


@pytest.mark.parametrize(("old", "new", "message"), [
    ("    removed_status: 410\n", "    removed_status: 500\n", "removed_status must be 404 or 410"),
    ("    removed_on: 2026-11-19T09:00:00+07:00", "    removed_on: 2026-11-01T09:00:00+07:00",
     "removed_on must come after"),
    ("      - at: 2026-11-18T16:00:00+07:00", "      - at: 2026-11-18T06:00:00+07:00",
     "'at' must come after"),
    ("      - at: 2026-11-18T16:00:00+07:00\n", "      - at: 2026-11-18T16:00:00+07:00\n"
     "        headline: x\n", "unknown key.*headline"),
    ("    updated_at: 2026-11-20T09:10:00+07:00", "    updated_at: 2026-11-19T09:10:00+07:00",
     "updated_at .* is before published_at"),
])
def test_bad_time_travel_data_is_rejected(tmp_path: Path, old: str, new: str,
                                          message: str) -> None:
    folder = _copy_outlet(tmp_path, "detakpos")
    _edit(folder, old, new)
    with pytest.raises(ContentError, match=message):
        load_outlet(folder)
