"""The as-of header: sent on every request while PANTAU_AS_OF is set, never otherwise."""

from __future__ import annotations

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


def test_not_in_the_default_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real nightly crawls (no PANTAU_AS_OF) build no middleware, so send no header."""
    import importlib

    import spiders.settings

    try:
        monkeypatch.delenv("PANTAU_AS_OF", raising=False)
        assert importlib.reload(spiders.settings).PANTAU_AS_OF == ""
        monkeypatch.setenv("PANTAU_AS_OF", "2026-11-17T19:00:00+00:00")
        assert importlib.reload(spiders.settings).PANTAU_AS_OF == "2026-11-17T19:00:00+00:00"
    finally:
        monkeypatch.undo()
        importlib.reload(spiders.settings)


def test_crawler_and_fixture_web_agree_on_the_header() -> None:
    assert AS_OF_HEADER == FIXTUREWEB_HEADER
