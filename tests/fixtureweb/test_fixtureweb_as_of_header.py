"""``X-Pantau-As-Of``: one request served as of its own moment, whatever the server's clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from fixtureweb import FixtureWeb
from fixtureweb.handler import AS_OF_HEADER

WIB = datetime.fromisoformat("2026-11-01T00:00:00+07:00").tzinfo
NIGHT_15 = datetime(2026, 11, 15, 2, tzinfo=WIB)
NIGHT_17 = datetime(2026, 11, 17, 2, tzinfo=WIB)
NIGHT_19 = datetime(2026, 11, 19, 2, tzinfo=WIB)
GONE_404_PATH = "/2026/11/bmkg-peringatkan-hujan-lebat-di-jabodetabek-sepekan-ke-depan.html"


@pytest.fixture(scope="module")
def web() -> Iterator[FixtureWeb]:
    with FixtureWeb() as running:  # clock: the final state
        yield running


def visible_at(web: FixtureWeb, moment: datetime | None) -> list[dict]:
    """expected_articles() at ``moment`` (the clock is put back afterwards)."""
    before = web.as_of
    web.set_as_of(moment)
    try:
        return web.expected_articles()
    finally:
        web.set_as_of(before)


def as_of(moment: datetime) -> dict[str, str]:
    return {AS_OF_HEADER: moment.isoformat()}


def test_the_header_picks_the_moment_per_request(web: FixtureWeb, fetch_at) -> None:
    early, late = visible_at(web, NIGHT_15), visible_at(web, NIGHT_19)
    new_later = [a for a in late if a["url"] not in {e["url"] for e in early}]
    assert new_later  # the fixture content has articles between the two nights
    feed = web.base_url("detakpos") + "rss"
    early_feed = fetch_at(web.port, feed, headers=as_of(NIGHT_15)).text
    late_feed = fetch_at(web.port, feed, headers=as_of(NIGHT_19)).text
    later_on_detakpos = [a["url"] for a in new_later if a["outlet"] == "detakpos"]
    assert later_on_detakpos
    assert not any(u in early_feed for u in later_on_detakpos)
    assert any(u in late_feed for u in later_on_detakpos)
    final = {a["url"] for a in visible_at(web, None)}
    for article in new_later:  # not yet published on the 15th: 404 then, 200 on the 19th
        assert fetch_at(web.port, article["url"], headers=as_of(NIGHT_15)).status == 404
        assert fetch_at(web.port, article["url"], headers=as_of(NIGHT_19)).status == 200
        now = fetch_at(web.port, article["url"]).status  # no header: the clock (final state)
        assert (now == 200) == (article["url"] in final)
    assert web.as_of is None  # requests never move the clock


def test_header_wins_over_the_clock_and_its_absence_follows_it(web: FixtureWeb,
                                                               fetch_at) -> None:
    url = web.base_url("iphedia").rstrip("/") + GONE_404_PATH  # up 16th to 18th
    web.set_as_of(NIGHT_17)
    try:
        assert fetch_at(web.port, url).status == 200
        assert fetch_at(web.port, url, headers=as_of(NIGHT_19)).status == 404
        assert fetch_at(web.port, url, headers=as_of(NIGHT_15)).status == 404
    finally:
        web.set_as_of(None)
    assert fetch_at(web.port, url).status == 404
    assert fetch_at(web.port, url, headers=as_of(NIGHT_17)).status == 200


def test_header_applies_to_fault_pages_too(web: FixtureWeb, fetch_at) -> None:
    """A fault that serves the page (here: mislabelled charset) serves it as of the header."""
    late = {a["url"] for a in visible_at(web, NIGHT_19)}
    url = next(u for u in sorted(late - {a["url"] for a in visible_at(web, NIGHT_15)}))
    web.inject(url, "charset")
    try:
        assert fetch_at(web.port, url, headers=as_of(NIGHT_15)).status == 404
        assert fetch_at(web.port, url, headers=as_of(NIGHT_19)).status == 200
    finally:
        web.clear_faults()


@pytest.mark.parametrize(("value", "why"), [("kemarin", "ISO 8601"),
                                            ("2026-11-15T02:00:00", "time zone")])
def test_a_malformed_header_answers_400(web: FixtureWeb, fetch_at, value: str,
                                        why: str) -> None:
    got = fetch_at(web.port, web.base_url("iphedia"), headers={AS_OF_HEADER: value})
    assert got.status == 400 and why in got.text
