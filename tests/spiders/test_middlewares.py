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


# --- retries -------------------------------------------------------------------------------


def test_retry_after_seconds() -> None:
    from datetime import UTC, datetime

    from spiders.middlewares.backoff_retry import retry_after_seconds

    now = datetime(2026, 11, 20, 10, 0, 0, tzinfo=UTC)
    assert retry_after_seconds(b"120") == 120.0
    assert retry_after_seconds("Fri, 20 Nov 2026 10:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Fri, 20 Nov 2026 09:00:00 GMT", now) == 0.0
    assert retry_after_seconds(None) is None and retry_after_seconds(b"besok") is None


def test_backoff_doubles_per_retry_within_the_cap() -> None:
    from spiders.middlewares.backoff_retry import BackoffRetryMiddleware

    crawler = get_crawler(settings_dict={"PANTAU_RETRY_BACKOFF": 2.0, "PANTAU_RETRY_MAX_WAIT": 5})
    middleware = BackoffRetryMiddleware.from_crawler(crawler)
    waits = [middleware._backoff(Request("https://a.example/", meta={"retry_times": n}))
             for n in (1, 2, 3)]
    assert 1.5 <= waits[0] <= 2.5 and 3.0 <= waits[1] <= 5.0 and waits[2] == 5.0


# --- conditional GET policy ----------------------------------------------------------------


def _policy():  # type: ignore[no-untyped-def]
    from scrapy.settings import Settings

    from spiders.middlewares.discovery_cache import DiscoveryRevalidationPolicy

    return DiscoveryRevalidationPolicy(Settings({"PANTAU_ROBOTS_MAX_AGE": 3600}))


def test_only_discovery_documents_and_robots_are_cached() -> None:
    policy = _policy()
    assert policy.should_cache_request(Request("https://a.example/feed/", meta={"role": "feed"}))
    assert policy.should_cache_request(Request("https://a.example/robots.txt"))
    assert not policy.should_cache_request(
        Request("https://a.example/a/2026/11/20/x/", meta={"role": "article"})
    )


def test_stale_copy_is_revalidated_with_its_validators() -> None:
    from scrapy.http import Response

    policy = _policy()
    cached = Response("https://a.example/feed/", headers={
        "ETag": '"abc"', "Last-Modified": "Fri, 20 Nov 2026 03:00:00 GMT"})
    request = Request("https://a.example/feed/", meta={"role": "feed", "cache_timestamp": 1.0})
    assert policy.is_cached_response_fresh(cached, request) is False
    assert request.headers["If-None-Match"] == b'"abc"'
    assert request.headers["If-Modified-Since"] == b"Fri, 20 Nov 2026 03:00:00 GMT"
    assert policy.is_cached_response_valid(cached, Response(request.url, status=304), request)
    assert not policy.is_cached_response_valid(cached, Response(request.url, status=503), request)


def test_child_sitemap_unchanged_since_stored_is_not_requested() -> None:
    import time
    from datetime import UTC, datetime, timedelta

    from scrapy.http import Response

    policy = _policy()
    stored_lastmod = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    cached = Response("https://a.example/sm-1.xml",
                      headers={"X-Pantau-Index-Lastmod": stored_lastmod.isoformat()})
    cases = ((stored_lastmod, True), (stored_lastmod - timedelta(days=1), True),
             (stored_lastmod + timedelta(seconds=30), False), (None, False))
    for lastmod, fresh in cases:
        request = Request("https://a.example/sm-1.xml",
                          meta={"role": "sitemap", "cache_timestamp": time.time(),
                                "sitemap_lastmod": lastmod})
        assert policy.is_cached_response_fresh(cached, request) is fresh
    unmarked = Request("https://a.example/sm-1.xml",
                       meta={"role": "sitemap", "sitemap_lastmod": stored_lastmod})
    assert policy.is_cached_response_fresh(Response(unmarked.url), unmarked) is False
    robots = Request("https://a.example/robots.txt", meta={"cache_timestamp": time.time() - 60})
    assert policy.is_cached_response_fresh(Response(robots.url), robots) is True


# --- robots.txt Crawl-delay ----------------------------------------------------------------


def test_crawl_delay_is_read_capped_and_pins_autothrottle() -> None:
    from scrapy.http import Response

    from spiders.middlewares.crawl_delay import CrawlDelayMiddleware

    crawler = get_crawler(settings_dict={"PANTAU_MAX_CRAWL_DELAY": 10,
                                         "ROBOTSTXT_USER_AGENT": "pantau"})
    middleware = CrawlDelayMiddleware.from_crawler(crawler)
    body = b"User-agent: *\nCrawl-delay: 3\n\nUser-agent: pantau\nCrawl-delay: 60\nDisallow:\n"
    robots = Request("https://lambat.example/robots.txt")
    middleware.process_response(robots, Response(robots.url, body=body))
    assert middleware.delays == {"lambat.example": 10.0}
    article = Request("https://lambat.example/a/1")
    middleware.process_request(article)
    assert article.meta["autothrottle_dont_adjust_delay"] is True
    other = Request("https://cepat.example/a/1")
    middleware.process_request(other)
    assert "autothrottle_dont_adjust_delay" not in other.meta
