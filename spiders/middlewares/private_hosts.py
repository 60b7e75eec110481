"""Refuse requests to loopback, private, link-local and reserved addresses (SSRF guard).

The host of every request — the outlet's own, and every redirect target, since Scrapy sends
redirects through the downloader middlewares again — is resolved with the crawler's resolver
(the same one, with the same cache, that the download then uses) and refused when it is not a
public address, unless the setting ``PANTAU_ALLOW_PRIVATE_HOSTS`` is true (the CLI's
``--allow-private-hosts`` / env ``PANTAU_ALLOW_PRIVATE_HOSTS=1``; the demo and tests set it).
"""

from __future__ import annotations

import logging
from typing import Self
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.http import Request
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.error import DNSLookupError

from spiders.addresses import literal_address, non_public_kind
from spiders.middlewares.refusals import PrivateHostRefused

log = logging.getLogger(__name__)

ALLOW_HINT = "pass --allow-private-hosts (or PANTAU_ALLOW_PRIVATE_HOSTS=1) to allow it"


def refusal_message(host: str, address: str, kind: str) -> str:
    return f"refusing to crawl loopback/private host '{host}' ({address}, {kind}); {ALLOW_HINT}"


class PrivateHostMiddleware:
    """Downloader middleware: no requests to non-public addresses unless explicitly allowed."""

    def __init__(self, crawler: Crawler, allow: bool) -> None:
        self.crawler = crawler
        self.allow = allow
        self._verdicts: dict[str, str | None] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, crawler.settings.getbool("PANTAU_ALLOW_PRIVATE_HOSTS"))

    async def process_request(self, request: Request) -> None:
        if self.allow:
            return None
        host = (urlsplit(request.url).hostname or "").lower()
        if not host:
            return None
        if host not in self._verdicts:
            self._verdicts[host] = await self._check(host)
        message = self._verdicts[host]
        if message is not None:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("pantau/refused_private_host")
            raise PrivateHostRefused(message)
        return None

    async def _check(self, host: str) -> str | None:
        address = literal_address(host)
        if address is None:
            from twisted.internet import reactor

            try:
                resolving = reactor.resolve(host)  # type: ignore[attr-defined,arg-type]
                address = await maybe_deferred_to_future(resolving)
            except (DNSLookupError, TimeoutError, OSError) as exc:
                log.debug("cannot resolve %s (%s); the download will report it", host, exc)
                return None
        kind = non_public_kind(str(address))
        return None if kind is None else refusal_message(host, str(address), kind)
