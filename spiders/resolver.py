"""Scrapy DNS resolver that knows ``*.localhost`` is loopback (RFC 6761).

The system resolver of many machines does not resolve ``beritaturki.localhost``; the fixture web
serves its outlets under such names on 127.0.0.1. Every other name goes to Scrapy's caching
threaded resolver as usual. Set as ``TWISTED_DNS_RESOLVER`` in ``spiders.settings``.
"""

from __future__ import annotations

from collections.abc import Sequence

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.defer import Deferred

from spiders.addresses import LOOPBACK_V4, is_localhost_name


class LocalhostAwareResolver(CachingThreadedResolver):
    """``localhost`` and ``*.localhost`` -> 127.0.0.1; anything else -> the normal resolver."""

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:  # noqa: N802
        if is_localhost_name(name):
            return defer.succeed(LOOPBACK_V4)
        return super().getHostByName(name, timeout)
