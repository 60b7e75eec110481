"""Safety middlewares: only http(s); no loopback/private/reserved targets unless allowed."""

from __future__ import annotations

import asyncio

import pytest
from scrapy.http import Request
from scrapy.utils.test import get_crawler

from spiders.middlewares.http_only import HttpOnlyMiddleware
from spiders.middlewares.private_hosts import PrivateHostMiddleware
from spiders.middlewares.refusals import PrivateHostRefused, SchemeRefused


def guard(allow: bool) -> PrivateHostMiddleware:
    crawler = get_crawler(settings_dict={"PANTAU_ALLOW_PRIVATE_HOSTS": allow})
    return PrivateHostMiddleware.from_crawler(crawler)


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://127.0.0.1:8080/feed", "loopback"),
        ("http://10.0.0.7/admin", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),  # cloud metadata
        ("http://[::1]/x", "loopback"),
        ("http://0.0.0.0/", "unspecified"),
    ],
)
def test_private_addresses_are_refused(url: str, kind: str) -> None:
    middleware = guard(allow=False)
    with pytest.raises(PrivateHostRefused, match=rf"\(.*, {kind}\); pass --allow-private-hosts"):
        asyncio.run(middleware.process_request(Request(url)))


def test_redirect_target_is_checked_like_any_request() -> None:
    """Scrapy's RedirectMiddleware sends the target through the middlewares again."""
    middleware = guard(allow=False)
    redirected = Request("http://192.168.1.1/router").replace(
        meta={"redirect_urls": ["https://www.kompas.com/read/1"]}
    )
    with pytest.raises(PrivateHostRefused):
        asyncio.run(middleware.process_request(redirected))


def test_public_address_and_switch_pass() -> None:
    assert asyncio.run(guard(allow=False).process_request(Request("http://8.8.8.8/"))) is None
    assert asyncio.run(guard(allow=True).process_request(Request("http://127.0.0.1/"))) is None


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x", "data:,halo",
                                 "s3://bucket/key"])
def test_non_http_schemes_are_refused(url: str) -> None:
    with pytest.raises(SchemeRefused):
        HttpOnlyMiddleware().process_request(Request(url))


def test_http_schemes_pass() -> None:
    assert HttpOnlyMiddleware().process_request(Request("https://www.kompas.com/")) is None
