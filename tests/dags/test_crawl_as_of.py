"""The crawl task's logical date reaches the fixture web as ``X-Pantau-As-Of`` (no Airflow
services needed): two crawls with different logical dates against ONE fixture web, whose clock
never moves, each get the articles of their own night; without ``PANTAU_TIME_TRAVEL`` the
date is not sent and the web's clock (the final state) decides."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from extract.urls import canonicalize_url
from fixtureweb import FixtureWeb
from pantau.airflow_tasks import TIME_TRAVEL_ENV, crawl_outlet
from staging import finished_outlets, iter_records

NIGHT_1 = datetime(2026, 11, 15, 19, 0, tzinfo=UTC)  # 02:00 WIB on the 16th
NIGHT_2 = datetime(2026, 11, 19, 19, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def web() -> Iterator[FixtureWeb]:
    with FixtureWeb() as running:
        yield running


@pytest.fixture()
def staging(tmp_path: Path, web: FixtureWeb, monkeypatch: pytest.MonkeyPatch) -> Path:
    """What a crawl task reads from its environment: this web's outlets, a fresh warehouse."""
    monkeypatch.setenv("PANTAU_SOURCES", str(web.write_sources_yaml(tmp_path / "sources.yaml")))
    monkeypatch.setenv("PANTAU_DB", str(tmp_path / "data" / "pantau.duckdb"))
    monkeypatch.setenv("PANTAU_STAGING", str(tmp_path / "data" / "staging"))
    monkeypatch.setenv("PANTAU_ALLOW_PRIVATE_HOSTS", "1")
    monkeypatch.setenv("PANTAU_DOWNLOAD_DELAY", "0")
    monkeypatch.setenv("PANTAU_RETRY_BACKOFF", "0")
    monkeypatch.delenv("PANTAU_AS_OF", raising=False)
    return tmp_path / "data" / "staging"


def articles_at(web: FixtureWeb, moment: datetime | None) -> set[str]:
    before = web.as_of
    web.set_as_of(moment)
    try:
        return {canonicalize_url(a["url"]) for a in web.expected_articles()}
    finally:
        web.set_as_of(before)


def crawled_articles(staging: Path, run_id: str, known: set[str]) -> set[str]:
    """Article URLs of the fixture web that the run staged with status 200."""
    got = set()
    for outlet in finished_outlets(staging, run_id):
        assert not outlet.stats.get("crawl_error"), outlet.stats
        if outlet.records is not None:
            got |= {r["url"] for r in iter_records(outlet.records)
                    if r.get("type") == "page" and r.get("status") == 200}
    return got & known


def crawl_night(web: FixtureWeb, run_id: str, moment: datetime) -> list[dict]:
    return [crawl_outlet(slug, run_id, as_of=moment) for slug in web.outlets]


def test_each_logical_date_gets_its_own_night(
    web: FixtureWeb, staging: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TIME_TRAVEL_ENV, "1")
    known = articles_at(web, None) | articles_at(web, NIGHT_2)
    night_1, night_2 = articles_at(web, NIGHT_1), articles_at(web, NIGHT_2)
    assert night_1 < night_2 or night_1 - night_2  # the nights differ

    first = crawl_night(web, "scheduled__night-1", NIGHT_1)
    second = crawl_night(web, "scheduled__night-2", NIGHT_2)

    assert {c["as_of"] for c in first} == {NIGHT_1.isoformat()}
    assert {c["as_of"] for c in second} == {NIGHT_2.isoformat()}
    assert crawled_articles(staging, "scheduled__night-1", known) == night_1
    assert crawled_articles(staging, "scheduled__night-2", known) == night_2
    assert web.as_of is None  # the clock never moved: the header did it
    assert "PANTAU_AS_OF" not in os.environ


def test_without_time_travel_the_date_is_not_sent(
    web: FixtureWeb, staging: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(TIME_TRAVEL_ENV, raising=False)
    known = articles_at(web, None) | articles_at(web, NIGHT_1)
    got = crawl_outlet("iphedia", "scheduled__plain", as_of=NIGHT_1)
    assert got["as_of"] is None
    final_iphedia = {u for u in articles_at(web, None) if "iphedia." in u}
    assert crawled_articles(staging, "scheduled__plain", known) == final_iphedia
    assert final_iphedia - articles_at(web, NIGHT_1)  # differs from what night 1 would show
