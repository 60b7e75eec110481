"""The one generic news spider: an outlet is data (a ``core.config.Source``), not code.

It reads the outlet's feeds, sitemaps (indexes and Google News sitemaps too) and listing pages,
keeps the article URLs on the outlet's site that match its ``article_pattern``, skips those
already seen (by canonical URL, ``extract.urls.canonicalize_url``) and fetches the rest. Every
fetched article becomes a ``page`` record, every URL that failed an ``error`` record (see
``spiders.records``); robots.txt-forbidden URLs are only counted.

Outlets with ``recheck_days`` also get their recent articles requested again with a conditional
GET (``spiders.recheck``): those are the recheck's, never requested a second time by discovery.

When not one feed, sitemap or listing could be fetched, the outlet's crawl failed as a whole:
:attr:`NewsSpider.crawl_error` then says why in one line.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

import scrapy
from scrapy.exceptions import (
    IgnoreRequest,
)
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from core.config import Source
from extract.urls import canonicalize_url, is_on_site, site_domain
from spiders.article_pages import ROBOTS_FORBIDDEN, ArticlePages, describe_failure
from spiders.discovery import (
    Candidate,
    DiscoveryError,
    looks_like_article,
    next_page_url,
    page_links,
    parse_feed,
    parse_sitemap,
)
from spiders.hintdates import newest_hint_date, parse_hint_date
from spiders.middlewares.refusals import PrivateHostRefused
from spiders.recheck import VIA as RECHECK_VIA
from spiders.recheck import RecheckTarget
from spiders.records import error_record

DISCOVERY_PRIORITY = 10  # discovery documents before articles


class NewsSpider(ArticlePages, scrapy.Spider):
    """Crawl one outlet.

    ``source``: the outlet (a ``core.config.Source``). ``seen_urls``: article URLs pantau
    already has, either a collection of URLs or a mapping URL -> when it was last fetched (ISO
    8601, or None); with a time, a seen article whose feed/sitemap date (``lastmod``,
    ``updated``) is newer is fetched again (at most ``PANTAU_MAX_REFETCHES`` per crawl).
    ``recheck``: articles to request again with a conditional GET (newest first; at most
    ``PANTAU_MAX_RECHECKS``); discovery leaves them to the recheck.
    """

    name = "news"

    def __init__(
        self,
        source: Source,
        seen_urls: Iterable[str] | Mapping[str, str | None] = (),
        recheck: Iterable[RecheckTarget] = (),
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.source = source
        self.site_host = source.host
        self.allowed_domains = [site_domain(source.host)]
        self.pattern = re.compile(source.article_pattern) if source.article_pattern else None
        self.seen: dict[str, datetime | None] = {}
        times = seen_urls if isinstance(seen_urls, Mapping) else {}
        for url in seen_urls:
            try:
                canonical = canonicalize_url(url, self.site_host)
            except ValueError:
                continue
            self.seen[canonical] = parse_hint_date(times.get(url), "UTC")
        self.recheck: dict[str, RecheckTarget] = {}  # canonical URL -> target, in given order
        for target in recheck:
            try:
                canonical = canonicalize_url(target.url, self.site_host)
            except ValueError:
                continue
            if is_on_site(canonical, self.site_host):
                self.recheck.setdefault(canonical, target)
        self.scheduled: set[str] = set()
        self.listing_pages: set[str] = set()
        self.refetches = 0
        self.discovery_ok = 0
        self.discovery_failures: list[tuple[Failure | None, str]] = []

    # --- results ------------------------------------------------------------------------------

    @property
    def crawl_error(self) -> str | None:
        """One line when the outlet failed as a whole (no discovery document fetched)."""
        if self.discovery_ok or not self.discovery_failures:
            return None
        failure, message = self.discovery_failures[0]
        if failure is not None and failure.check(PrivateHostRefused):
            return str(failure.value)
        return f"no feed, sitemap or listing could be read; first failure: {message}"

    # --- discovery ----------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        self._trim_rechecks()  # before any response is parsed: discovery sees the final set
        for url in self.source.feeds:
            yield self._discovery_request(url, "feed", self.parse_feed)
        for url in self.source.sitemaps:
            yield self._discovery_request(url, "sitemap", self.parse_sitemap)
        for url in self.source.listings:
            self.listing_pages.add(url)
            yield self._discovery_request(url, "listing", self.parse_listing, listing_page=1)
        for canonical, target in list(self.recheck.items()):
            yield self._recheck_request(canonical, target)

    def _discovery_request(
        self, url: str, role: str, callback: Any, depth: int = 0, **meta: Any
    ) -> Request:
        self._count(f"{role}_requests")
        return Request(
            url,
            callback=callback,
            errback=self.discovery_failed,
            priority=DISCOVERY_PRIORITY,
            meta={"role": role, "sitemap_depth": depth, **meta},
            dont_filter=True,
        )

    def _discovery_unreadable(self, response: Response, role: str, error: str) -> dict[str, Any]:
        self.discovery_failures.append((None, f"{role} {response.url}: {error}"))
        return error_record(self.source.name, response.url, response.status, error, role, None)

    def _partly_readable(
        self, response: Response, role: str, problem: str | None, recovered: bool
    ) -> Iterator[dict[str, Any]]:
        """Malformed XML: an error record for the document; it counts as read if it still
        gave entries (they are used)."""
        if problem is None:
            self.discovery_ok += 1
            return
        if recovered:
            self.discovery_ok += 1
            yield error_record(self.source.name, response.url, response.status,
                               problem + " (entries before it were used)", role, None)
        else:
            yield self._discovery_unreadable(response, role, problem)

    def parse_feed(self, response: Response) -> Iterator[Any]:
        try:
            doc = parse_feed(response.body, response.url, self._max_size())
        except DiscoveryError as exc:
            yield self._discovery_unreadable(response, "feed", str(exc))
            return
        yield from self._partly_readable(response, "feed", doc.problem, bool(doc.entries))
        for candidate in doc.entries:
            yield from self._consider(candidate, "feed")

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        try:
            doc = parse_sitemap(response.body, response.url, self._max_size())
        except DiscoveryError as exc:
            yield self._discovery_unreadable(response, "sitemap", str(exc))
            return
        yield from self._partly_readable(response, "sitemap", doc.problem, bool(doc.entries))
        if doc.kind == "urlset":
            for candidate in doc.entries:
                yield from self._consider(candidate, "sitemap")
            return
        depth = response.meta.get("sitemap_depth", 0) + 1
        if depth > self.settings.getint("PANTAU_SITEMAP_MAX_DEPTH", 3):
            self.logger.warning("sitemap index %s nested too deep; not followed", response.url)
            return
        children = [c for c in doc.entries if is_on_site(c.url, self.site_host)]
        # newest first (ISO dates sort as text; entries without lastmod last), bounded
        children.sort(key=lambda c: c.hints.get("lastmod", ""), reverse=True)
        limit = self.settings.getint("PANTAU_SITEMAP_MAX_CHILDREN", 50)
        for child in children[:limit]:
            lastmod = parse_hint_date(child.hints.get("lastmod"), self.source.timezone)
            yield self._discovery_request(
                child.url, "sitemap", self.parse_sitemap, depth, sitemap_lastmod=lastmod
            )

    def parse_listing(self, response: Response) -> Iterator[Any]:
        """Article links of a listing page; the next page is followed while this one still
        had articles pantau has not seen, up to ``PANTAU_LISTING_MAX_PAGES`` pages."""
        if not isinstance(response, TextResponse):
            yield self._discovery_unreadable(response, "listing", "listing is not an HTML page")
            return
        self.discovery_ok += 1
        limit = self.settings.getint("PANTAU_LISTING_MAX_LINKS", 300)
        unseen = 0
        for candidate in page_links(response)[: limit * 3]:
            if self.pattern is None and not looks_like_article(candidate.url):
                continue
            verdict, request = self._classify(candidate, "listing")
            if verdict in ("new", "scheduled"):
                unseen += 1
            if request is not None:
                yield request
            if unseen >= limit:
                break
        page = response.meta.get("listing_page", 1)
        if unseen == 0 or page >= self.settings.getint("PANTAU_LISTING_MAX_PAGES", 10):
            return
        following = next_page_url(response)
        if following is None or not is_on_site(following, self.site_host):
            return
        if following in self.listing_pages:
            return
        self.listing_pages.add(following)
        yield self._discovery_request(
            following, "listing", self.parse_listing, listing_page=page + 1
        )

    def discovery_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        role = request.meta.get("role", "discovery")
        if failure.check(IgnoreRequest) and str(failure.value) == ROBOTS_FORBIDDEN:
            self.discovery_failures.append((failure, f"{role} {request.url}: {ROBOTS_FORBIDDEN}"))
            return
        status, message = describe_failure(failure)
        self.discovery_failures.append((failure, f"{role} {request.url}: {message}"))
        yield error_record(self.source.name, request.url, status, message, role, None)

    # --- articles -----------------------------------------------------------------------------

    def _consider(self, candidate: Candidate, via: str) -> Iterator[Request]:
        """Yield a request for ``candidate`` if it is a new (or updated) article of this outlet."""
        _, request = self._classify(candidate, via)
        if request is not None:
            yield request

    def _classify(self, candidate: Candidate, via: str) -> tuple[str, Request | None]:
        """("new" | "updated" | "scheduled" | "seen" | "skipped", request to make or None)."""
        self._count("discovered")
        if not is_on_site(candidate.url, self.site_host):
            self._count("offsite_skipped")
            return "skipped", None
        if self.pattern is not None and not self.pattern.search(candidate.url):
            self._count("pattern_skipped")
            return "skipped", None
        try:
            canonical = canonicalize_url(candidate.url, self.site_host)
            fetch_url = canonicalize_url(candidate.url, self.site_host, keep_trailing_slash=True)
        except ValueError:
            self._count("bad_url_skipped")
            return "skipped", None
        if canonical in self.recheck:  # requested by the recheck (seen, whatever discovery says)
            self._count("recheck_covered")
            return "seen", None
        if canonical in self.scheduled:
            return "scheduled", None
        verdict = "new"
        if canonical in self.seen:
            if not self._updated_since_fetch(canonical, candidate.hints):
                self._count("seen_skipped")
                return "seen", None
            verdict = "updated"
            self.refetches += 1
            self._count("updated_refetches")
        self.scheduled.add(canonical)
        self._count("article_requests")
        meta = {"role": "article", "canonical": canonical, "via": via, "hints": candidate.hints}
        if verdict == "updated":
            meta["hints"] = {**candidate.hints, "refetch": "updated"}
        # dont_filter: dedup is done above by canonical URL; Scrapy's filter would also drop
        # the repeated hops of a redirect loop silently instead of failing them
        return verdict, Request(
            fetch_url,
            callback=self.parse_article,
            errback=self.article_failed,
            meta=meta,
            dont_filter=True,
        )

    def _updated_since_fetch(self, canonical: str, hints: dict[str, Any]) -> bool:
        fetched_at = self.seen.get(canonical)
        if fetched_at is None:
            return False
        if self.refetches >= self.settings.getint("PANTAU_MAX_REFETCHES", 500):
            return False
        changed = newest_hint_date(hints, self.source.timezone)
        return changed is not None and changed > fetched_at

    # --- re-checking recent articles -----------------------------------------------------------

    def _trim_rechecks(self) -> None:
        """Keep the first ``PANTAU_MAX_RECHECKS`` targets; the rest go back to discovery."""
        limit = self.settings.getint("PANTAU_MAX_RECHECKS", 2000)
        for canonical in list(self.recheck)[limit:]:
            del self.recheck[canonical]
            self._count("recheck_over_limit")

    def _recheck_request(self, canonical: str, target: RecheckTarget) -> Request:
        """A conditional GET of a known article (its own ``final_url`` when that is the same
        address: no redirect hop); 304 comes to :meth:`parse_recheck`, not the errback."""
        fetch_url = canonical
        if target.final_url:
            try:
                if canonicalize_url(target.final_url, self.site_host) == canonical:
                    fetch_url = target.final_url
            except ValueError:
                pass
        self.scheduled.add(canonical)
        self._count("recheck_requests")
        return Request(
            fetch_url,
            headers=target.conditional_headers(),
            callback=self.parse_recheck,
            errback=self.recheck_failed,
            meta={
                "role": "article",
                "canonical": canonical,
                "via": RECHECK_VIA,
                "hints": {"refetch": RECHECK_VIA},
                "handle_httpstatus_list": [304],
            },
            dont_filter=True,
        )

    def parse_recheck(self, response: Response) -> Iterator[Any]:
        """304: unchanged, nothing staged. Otherwise staged like any refetch (the loader makes a
        new version only when the content changed)."""
        if response.status == 304:
            self._count("recheck_not_modified")
            return
        self._count("recheck_fetched")
        yield from self.parse_article(response)

    def recheck_failed(self, failure: Failure) -> Iterator[dict[str, Any]]:
        """404/410: the article is gone (the error record tells the loader); other failures are
        recorded like any failed fetch."""
        exc = failure.value
        if isinstance(exc, HttpError) and exc.response.status in (404, 410):
            self._count("recheck_gone")
        yield from self.article_failed(failure)

    def _max_size(self) -> int:
        return self.settings.getint("DOWNLOAD_MAXSIZE")
