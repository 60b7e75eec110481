"""Conditional GET for feeds, sitemaps, listing pages and robots.txt, across nights.

The last 200 response of every discovery document is kept on disk (Scrapy's filesystem HTTP cache
under ``PANTAU_CACHE_DIR``). The next night asks the server with ``If-None-Match`` /
``If-Modified-Since``; on ``304 Not Modified`` the stored copy is parsed again, so the spider still
sees every entry (and skips those the warehouse already has) without downloading the document.

Freshness rules (the server's ``max-age`` is ignored: nightly crawls must look every night):

- a child sitemap of an index is not requested at all when the index's ``<lastmod>`` for it
  (``request.meta["sitemap_lastmod"]``, an aware datetime) is not newer than the ``<lastmod>``
  the index gave when the stored copy was fetched (kept with it as ``X-Pantau-Index-Lastmod``;
  comparing the outlet's dates with the outlet's dates, not with our clock);
- ``robots.txt`` is reused for ``PANTAU_ROBOTS_MAX_AGE`` seconds (default 20 h);
- everything else is revalidated on every request.

Articles are never cached here (their HTML goes to staging). A 5xx or a network error is NOT
papered over with the stored copy: it must show up as a failure of that document.
"""

from __future__ import annotations

from datetime import UTC, datetime
from time import time

from scrapy.downloadermiddlewares.httpcache import HttpCacheMiddleware
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings

DISCOVERY_ROLES = frozenset({"feed", "sitemap", "listing"})
ROBOTS_PATH = "/robots.txt"
INDEX_LASTMOD_HEADER = b"X-Pantau-Index-Lastmod"


def _is_robots(request: Request) -> bool:
    return request.url.split("?", 1)[0].endswith(ROBOTS_PATH)


class DiscoveryRevalidationPolicy:
    """HTTPCACHE_POLICY: cache only discovery documents; revalidate them every time."""

    def __init__(self, settings: BaseSettings) -> None:
        self.robots_max_age = settings.getfloat("PANTAU_ROBOTS_MAX_AGE", 20 * 3600)

    def should_cache_request(self, request: Request) -> bool:
        return request.meta.get("role") in DISCOVERY_ROLES or _is_robots(request)

    def should_cache_response(self, response: Response, request: Request) -> bool:
        return response.status == 200

    def is_cached_response_fresh(self, cachedresponse: Response, request: Request) -> bool:
        stored_at = request.meta.get("cache_timestamp")
        if stored_at is not None and _is_robots(request):
            return time() - float(stored_at) < self.robots_max_age
        lastmod: datetime | None = request.meta.get("sitemap_lastmod")
        stored_lastmod = _header_datetime(cachedresponse.headers.get(INDEX_LASTMOD_HEADER))
        if lastmod is not None and stored_lastmod is not None and lastmod <= stored_lastmod:
            return True
        if b"ETag" in cachedresponse.headers:
            request.headers[b"If-None-Match"] = cachedresponse.headers[b"ETag"]
        if b"Last-Modified" in cachedresponse.headers:
            request.headers[b"If-Modified-Since"] = cachedresponse.headers[b"Last-Modified"]
        return False

    def is_cached_response_valid(
        self, cachedresponse: Response, response: Response, request: Request
    ) -> bool:
        return response.status == 304


def _header_datetime(value: bytes | None) -> datetime | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.decode("ascii"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


class DiscoveryCacheMiddleware(HttpCacheMiddleware):
    """Scrapy's HTTP cache middleware, remembering each child sitemap's index ``<lastmod>``,
    and without its fallback to stale copies on network errors."""

    def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        lastmod: datetime | None = request.meta.get("sitemap_lastmod")
        if lastmod is not None and response.status in (200, 304):
            response.headers[INDEX_LASTMOD_HEADER] = lastmod.isoformat()
        return super().process_response(request, response)

    def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> None:
        request.meta.pop("cached_response", None)
        return None
