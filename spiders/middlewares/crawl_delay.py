"""Honour ``Crawl-delay`` from robots.txt (Scrapy obeys Allow/Disallow but not this one).

When a host's robots.txt passes by (downloaded or from the cache), its ``Crawl-delay`` for
pantau's robots token is applied to that host's download slot, capped at
``PANTAU_MAX_CRAWL_DELAY`` seconds (default 30), and AutoThrottle is told not to lower it.
"""

from __future__ import annotations

import logging
from typing import Self
from urllib.parse import urlsplit

from protego import Protego
from scrapy.crawler import Crawler
from scrapy.http import Request, Response

log = logging.getLogger(__name__)


class CrawlDelayMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.agent = crawler.settings.get("ROBOTSTXT_USER_AGENT") or "pantau"
        self.cap = crawler.settings.getfloat("PANTAU_MAX_CRAWL_DELAY", 30.0)
        self.delays: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        host = urlsplit(request.url).hostname or ""
        if host in self.delays:
            request.meta["autothrottle_dont_adjust_delay"] = True
            self._apply(host, self.delays[host])  # the slot may have been recreated
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        parts = urlsplit(request.url)
        if parts.path != "/robots.txt" or response.status != 200 or not parts.hostname:
            return response
        try:
            rules = Protego.parse(response.body.decode("utf-8", "replace"))
            delay = rules.crawl_delay(self.agent)
        except Exception as exc:  # a garbled robots.txt must not stop the crawl
            log.warning("cannot read Crawl-delay of %s: %s", request.url, exc)
            return response
        if delay:
            wanted = float(delay)
            applied = min(wanted, self.cap)
            if applied < wanted:
                log.warning("%s asks Crawl-delay %.0f s; using the cap %.0f s",
                            parts.hostname, wanted, applied)
            self.delays[parts.hostname] = applied
            self._apply(parts.hostname, applied)
        return response

    def _apply(self, host: str, delay: float) -> None:
        try:
            engine = self.crawler.engine
        except RuntimeError:  # no engine yet (only outside a running crawl)
            return
        if engine is None:
            return
        slot = engine.downloader.slots.get(host)
        if slot is not None and slot.delay < delay:
            slot.delay = delay
            log.info("Crawl-delay %.1f s for %s (robots.txt)", delay, host)
