"""Refuse every request that is not plain http(s): no file:, ftp:, data:, s3: …"""

from __future__ import annotations

from scrapy.http import Request

from spiders.middlewares.refusals import SchemeRefused

ALLOWED_SCHEMES = ("http", "https")


class HttpOnlyMiddleware:
    """Downloader middleware: only ``http`` and ``https`` requests go out."""

    def process_request(self, request: Request) -> None:
        scheme = request.url.split(":", 1)[0].lower()
        if scheme not in ALLOWED_SCHEMES:
            raise SchemeRefused(f"refusing non-HTTP URL {request.url!r} (only http/https)")
