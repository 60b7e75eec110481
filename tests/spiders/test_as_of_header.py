"""The as-of header: sent on every request while PANTAU_AS_OF is set, never otherwise."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.http import Request
from scrapy.utils.test import get_crawler

from fixtureweb.handler import AS_OF_HEADER as FIXTUREWEB_HEADER
from spiders.middlewares.as_of import AS_OF_HEADER, AsOfHeaderMiddleware


def middleware(value: str | None) -> AsOfHeaderMiddleware:
    settings = {"PANTAU_AS_OF": value} if value is not None else {}
    return AsOfHeaderMiddleware.from_crawler(get_crawler(settings_dict=settings))


def test_header_on_every_request_when_set() -> None:
    mw = middleware("2026-11-17T19:00:00+00:00")
    for url in ("http://iphedia.localhost:8080/robots.txt", "http://iphedia.localhost:8080/x"):
        request = Request(url)
        assert mw.process_request(request) is None
        assert request.headers[AS_OF_HEADER] == b"2026-11-17T19:00:00+00:00"


@pytest.mark.parametrize("value", [None, "", "  "])
def test_switched_off_without_a_moment(value: str | None) -> None:
    with pytest.raises(NotConfigured):
        middleware(value)


@pytest.mark.parametrize(("value", "why"), [("kemarin", "ISO 8601"),
                                            ("2026-11-17T19:00:00", "time zone")])
def test_bad_moment_says_what_to_fix(value: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        middleware(value)


def test_not_in_the_default_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Real nightly crawls (no as_of) build no middleware, so send no header; the moment reaches
    the crawl's settings only as a parameter (``--as-of``), never from the environment."""
    from core.config import Source
    from spiders.crawl_one import crawl_settings

    source = Source.from_dict({"name": "contoh", "url": "https://contoh.id/"})
    monkeypatch.setenv("PANTAU_AS_OF", "2026-11-17T19:00:00+00:00")  # ignored by the crawler
    plain = crawl_settings(tmp_path, "run", source, False, 0)
    assert plain.get("PANTAU_AS_OF") == ""
    moment = datetime(2026, 11, 17, 19, 0, tzinfo=UTC)
    simulated = crawl_settings(tmp_path, "run", source, False, 0, as_of=moment)
    assert simulated.get("PANTAU_AS_OF") == "2026-11-17T19:00:00+00:00"


def test_crawler_and_fixture_web_agree_on_the_header() -> None:
    assert AS_OF_HEADER == FIXTUREWEB_HEADER
