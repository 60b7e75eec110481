"""Retries that wait: exponential backoff, and the server's ``Retry-After`` when it sends one.

Scrapy's RetryMiddleware re-queues a failed request at once; hammering an outlet that just said
429 or 503 is the opposite of polite. This subclass waits before handing the retry back:

- ``Retry-After: <seconds>`` or ``Retry-After: <HTTP date>`` is honoured as given; when it asks
  for more than ``PANTAU_RETRY_MAX_WAIT`` seconds (default 60) the URL is not retried in this
  crawl (its error record says ``Retry-After``; a later night tries again);
- otherwise the n-th retry waits ``PANTAU_RETRY_BACKOFF * 2**(n-1)`` seconds (default base 1 s,
  env ``PANTAU_RETRY_BACKOFF``), with ±25 % jitter, also capped by ``PANTAU_RETRY_MAX_WAIT``.

The wait does not hold a download slot: other requests go on meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings

log = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (never negative), or None if absent/garbled."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.backoff = settings.getfloat("PANTAU_RETRY_BACKOFF", 1.0)
        self.max_wait = settings.getfloat("PANTAU_RETRY_MAX_WAIT", 60.0)

    def _backoff(self, retry: Request) -> float:
        attempt = max(1, int(retry.meta.get("retry_times", 1)))
        base = self.backoff * 2 ** (attempt - 1)
        return min(self.max_wait, base * random.uniform(0.75, 1.25))

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        asked = retry_after_seconds(response.headers.get("Retry-After"))
        if asked is not None and asked > self.max_wait and response.status in self.retry_http_codes:
            log.info("%s asks to retry after %.0f s (> %.0f s): not retrying it in this crawl",
                     request.url, asked, self.max_wait)
            return response
        result = super().process_response(request, response)
        if isinstance(result, Request):
            wait = asked if asked is not None else self._backoff(result)
            if wait > 0:
                await asyncio.sleep(wait)
        return result

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            wait = self._backoff(result)
            if wait > 0:
                await asyncio.sleep(wait)
        return result
