"""Tell a time-travelling test web which moment the crawl stands for (simulations only).

When the Scrapy setting ``PANTAU_AS_OF`` is set (an ISO 8601 moment with a time zone; the crawl
process gets it as ``--as-of`` from :func:`spiders.runner.crawl_source`), every request carries
``X-Pantau-As-Of: <that moment>``; the fixture web (:mod:`fixtureweb.handler`) then serves the
page as it was at that moment. Unset (the default, and always for real outlets) the middleware
is switched off and no request carries the header.
The Airflow crawl task passes the run's logical date only when ``PANTAU_TIME_TRAVEL=1``
(backfill simulations against the fixture web, see docs/airflow.md).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request

from core.errors import ConfigError
from core.settings import parse_moment

log = logging.getLogger(__name__)

#: The request header; fixtureweb.handler.AS_OF_HEADER reads the same name.
AS_OF_HEADER = "X-Pantau-As-Of"


def parse_as_of(raw: str) -> datetime:
    """The moment of a ``PANTAU_AS_OF`` value; ValueError saying what to fix."""
    try:
        return parse_moment("PANTAU_AS_OF", raw)
    except ConfigError as exc:
        raise ValueError(str(exc)) from None


class AsOfHeaderMiddleware:
    """Downloader middleware: ``X-Pantau-As-Of`` on every request while ``PANTAU_AS_OF`` is set."""

    def __init__(self, moment: datetime) -> None:
        self.value = moment.isoformat()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        raw = (crawler.settings.get("PANTAU_AS_OF") or "").strip()
        if not raw:
            raise NotConfigured("PANTAU_AS_OF is not set")
        middleware = cls(parse_as_of(raw))
        log.warning("PANTAU_AS_OF is set: every request carries %s: %s (simulation of a "
                    "time-travelling test web; never set it for real outlets)",
                    AS_OF_HEADER, middleware.value)
        return middleware

    def process_request(self, request: Request) -> None:
        request.headers[AS_OF_HEADER] = self.value
