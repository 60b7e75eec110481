"""Exceptions for requests pantau refuses to make (they end as error records, not crashes)."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest


class RequestRefused(IgnoreRequest):
    """pantau refused a request on purpose; the message says why and what to do."""


class PrivateHostRefused(RequestRefused):
    """The request's host resolves to a loopback/private/reserved address."""


class SchemeRefused(RequestRefused):
    """The request is not http(s)."""
