"""Fetched articles in the news spider: the page record, articles split over pages (their
single-page view, or pages 2..N gathered into ``more_pages``), and failed fetches.

:class:`ArticlePages` is a part of :class:`spiders.news.NewsSpider` (which sets ``source``);
it is kept apart so that the spider's module holds discovery and re-checks only.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Request, Response, TextResponse
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure

from core.config import Source
from spiders.discovery import article_pagination
from spiders.records import error_record, page_record

ROBOTS_FORBIDDEN = "Forbidden by robots.txt"


def describe_failure(failure: Failure) -> tuple[int | None, str]:
    """(HTTP status or None, one line saying what went wrong) for a failed request."""
    exc = failure.value
    if isinstance(exc, HttpError):
        response = exc.response
        reason = response.headers.get("Retry-After")
        extra = f" (Retry-After: {reason.decode('latin-1')})" if reason else ""
        return response.status, f"HTTP {response.status}{extra}"
    if isinstance(exc, DNSLookupError | CannotResolveHostError):
        return None, f"DNS lookup failed: {exc}"
    if isinstance(exc, ConnectionRefusedError | DownloadConnectionRefusedError):
        return None, "connection refused"
    if isinstance(exc, TimeoutError | TCPTimedOutError | DownloadTimeoutError):
        return None, f"timed out: {exc}"
    if isinstance(exc, ResponseDataLossError):
        return None, "truncated response (connection closed before the announced length)"
    text = " ".join(str(exc).split()) or type(exc).__name__
    return None, f"{type(exc).__name__}: {text}"


class ArticlePages:
    """The article callbacks of the news spider (see the module docstring)."""

    source: Source
    settings: BaseSettings
    crawler: Crawler

    def _count(self, key: str, n: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"pantau/{key}", n)

    def parse_article(self, response: Response) -> Iterator[Any]:
        """A fetched article. When it is split over pages, its single-page view is fetched
        instead, or else its later pages are fetched in turn and kept in ``more_pages``."""
        meta = response.meta
        if not isinstance(response, TextResponse):
            content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
            yield error_record(
                self.source.name,
                meta["canonical"],
                response.status,
                f"not a text page (Content-Type: {content_type or 'none'})",
                "article",
                meta["via"],
            )
            return
        record = page_record(
            self.source.name, meta["canonical"], response, meta["via"], meta["hints"]
        )
        if not self.settings.getbool("PANTAU_FOLLOW_ARTICLE_PAGES", True):
            yield record
            return
        single, following = article_pagination(response, response.url)
        if single is not None:
            self._count("single_page_views")
            yield self._continuation(single, record, self.parse_single_view)
        elif following is not None:
            self._count("multi_page_articles")
            record["more_pages"] = []
            yield self._continuation(following, record, self.parse_next_page)
        else:
            yield record

    def _continuation(self, url: str, record: dict[str, Any], callback: Any) -> Request:
        self._count("article_page_requests")
        return Request(
            url,
            callback=callback,
            errback=self.continuation_failed,
            meta={"role": "article", "record": record},
            dont_filter=True,
        )

    def parse_single_view(self, response: Response) -> Iterator[dict[str, Any]]:
        """The whole article on one page: staged in place of page 1 (same canonical URL)."""
        record = response.meta["record"]
        if not isinstance(response, TextResponse):
            yield record
            return
        view = page_record(self.source.name, record["url"], response,
                           record["discovered_via"], record["hints"])
        view["hints"] = {**record["hints"], "single_page_view": response.url}
        yield view

    def parse_next_page(self, response: Response) -> Iterator[Any]:
        """Page 2, 3, … of a split article: appended to ``more_pages`` until there is no next."""
        record = response.meta["record"]
        if not isinstance(response, TextResponse):
            yield record
            return
        page = page_record(self.source.name, record["url"], response, "", {})
        record["more_pages"].append(
            {k: page[k] for k in ("final_url", "status", "headers", "encoding", "html")}
        )
        first = record["final_url"]
        _, following = article_pagination(response, first)
        limit = self.settings.getint("PANTAU_MAX_ARTICLE_PAGES", 20)
        seen = {first, *(p["final_url"] for p in record["more_pages"])}
        if following is None or following in seen or len(record["more_pages"]) + 1 >= limit:
            yield record
            return
        yield self._continuation(following, record, self.parse_next_page)

    def continuation_failed(self, failure: Failure) -> Iterator[dict[str, Any]]:
        """A later page or the single view failed: stage what we have, say what is missing."""
        request = failure.request  # type: ignore[attr-defined]
        record = request.meta["record"]
        _, message = describe_failure(failure)
        record["hints"] = {**record["hints"], "incomplete": f"{request.url}: {message}"}
        yield record

    def article_failed(self, failure: Failure) -> Iterator[dict[str, Any]]:
        request = failure.request  # type: ignore[attr-defined]
        if failure.check(IgnoreRequest) and str(failure.value) == ROBOTS_FORBIDDEN:
            self._count("robots_forbidden")
            return
        status, message = describe_failure(failure)
        record = error_record(
            self.source.name,
            request.meta.get("canonical", request.url),
            status,
            message,
            "article",
            request.meta.get("via"),
        )
        if isinstance(failure.value, HttpError):  # where the answer came from (after redirects)
            record["final_url"] = failure.value.response.url
        yield record
