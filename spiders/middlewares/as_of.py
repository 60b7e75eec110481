"""Tell a time-travelling test web which moment the crawl stands for (simulations only).

When the setting ``PANTAU_AS_OF`` is set (env ``PANTAU_AS_OF``, an ISO 8601 moment with a time
zone), every request carries ``X-Pantau-As-Of: <that moment>``; the fixture web
(:mod:`fixtureweb.handler`) then serves the page as it was at that moment. Unset (the default,
and always for real outlets) the middleware is switched off and no request carries the header.
The Airflow crawl task sets it to the run's logical date only when ``PANTAU_TIME_TRAVEL=1``
(backfill simulations against the fixture web, see docs/airflow.md).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request

log = logging.getLogger(__name__)

#: The request header; fixtureweb.handler.AS_OF_HEADER reads the same name.
AS_OF_HEADER = "X-Pantau-As-Of"


def parse_as_of(raw: str) -> datetime:
    """The moment of a ``PANTAU_AS_OF`` value; ValueError saying what to fix."""
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise ValueError(f"PANTAU_AS_OF={raw!r}: expected an ISO 8601 moment with a time zone, "
                         "e.g. 2026-11-17T19:00:00+00:00") from None
    if moment.tzinfo is None:
        raise ValueError(f"PANTAU_AS_OF={raw!r}: needs a time zone, e.g. {raw.strip()}+00:00")
    return moment


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
