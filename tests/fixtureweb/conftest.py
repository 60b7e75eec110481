"""Shared fixtures for the fixture-web tests: one running server per session and a fetch helper."""

from __future__ import annotations

import http.client
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from fixtureweb import FixtureWeb


@dataclass
class Fetched:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def fetch_from(port: int, url_or_host: str, path: str | None = None, method: str = "GET",
               headers: dict[str, str] | None = None) -> Fetched:
    """GET/HEAD on 127.0.0.1:port with the Host header of ``url_or_host``.

    Either a full URL (``http://iphedia.localhost:1234/x``) or a host plus ``path``.
    """
    if path is None:
        parts = urlsplit(url_or_host)
        host = parts.netloc
        path = parts.path + (f"?{parts.query}" if parts.query else "")
    else:
        host = url_or_host
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, headers={"Host": host, **(headers or {})})
        response = connection.getresponse()
        body = response.read()
        return Fetched(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
    finally:
        connection.close()


@pytest.fixture(scope="session")
def web() -> Iterator[FixtureWeb]:
    with FixtureWeb() as running:
        yield running


@pytest.fixture(scope="session")
def fetch(web: FixtureWeb) -> Callable[..., Fetched]:
    def _fetch(url_or_host: str, path: str | None = None, method: str = "GET",
               headers: dict[str, str] | None = None) -> Fetched:
        return fetch_from(web.port, url_or_host, path, method, headers)

    return _fetch


@pytest.fixture(scope="session")
def host(web: FixtureWeb) -> Callable[[str], str]:
    """``host("iphedia")`` -> ``"iphedia.localhost:<port>"``."""
    return lambda slug: f"{slug}.localhost:{web.port}"


@pytest.fixture(scope="session")
def fetch_at() -> Callable[..., Fetched]:
    """``fetch_at(port, host, path, method=..., headers=...)`` for servers a test starts itself."""
    return fetch_from
