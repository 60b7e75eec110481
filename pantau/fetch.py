"""Plain HTTP GET for the ``pantau sources`` commands, with the crawler's manners and guards.

The nightly crawl runs in Scrapy; ``pantau sources check`` and ``pantau sources add`` only need a
few dozen pages per outlet, fetched one after the other. They send the crawler's User-Agent, obey
the same private-address guard (every host, redirect targets included, must resolve to a public
address unless private hosts are allowed: ``--allow-private-hosts``), map ``*.localhost`` to
loopback like the crawler's resolver, follow at most 5 redirects, unpack gzip/deflate bodies and
stop reading at the crawler's page-size limit (``PANTAU_MAX_PAGE_BYTES``).
"""

from __future__ import annotations

import http.client
import logging
import socket
import ssl
import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from spiders.addresses import LOOPBACK_V4, is_localhost_name, literal_address, non_public_kind
from spiders.middlewares.private_hosts import refusal_message
from spiders.settings import DOWNLOAD_MAXSIZE, DOWNLOAD_TIMEOUT, USER_AGENT

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
REDIRECT_CODES = (301, 302, 303, 307, 308)


@dataclass
class Fetched:
    """One GET: the final URL (after redirects), status (None when nothing came back), headers
    (lower-case names), the body (decompressed), and ``error`` saying what went wrong."""

    url: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def problem(self) -> str | None:
        """One line for a failed fetch (``HTTP 404``, ``timed out`` …); None when it worked."""
        if self.error:
            return self.error
        if self.status is not None and not 200 <= self.status < 300:
            return f"HTTP {self.status}"
        return None


class FetchRefused(Exception):
    """The request may not be made (private address, bad URL)."""


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to an address already checked by the guard, with the certificate of the host name."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class Fetcher:
    """GET pages politely and safely (see the module docstring).

    ``extra_headers`` go with every request (e.g. ``X-Pantau-As-Of`` for the fixture web).
    ``connect_to`` maps a host name to the ``(address, port)`` to connect to instead, keeping the
    URL (like curl's ``--connect-to``): tests serve saved real pages under their real URLs on
    loopback this way. The private-address guard still applies to that address.
    """

    def __init__(
        self,
        allow_private_hosts: bool = False,
        timeout: float = DOWNLOAD_TIMEOUT,
        max_bytes: int = DOWNLOAD_MAXSIZE,
        user_agent: str = USER_AGENT,
        extra_headers: dict[str, str] | None = None,
        connect_to: dict[str, tuple[str, int]] | None = None,
    ) -> None:
        self.allow_private_hosts = allow_private_hosts
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.user_agent = user_agent
        self.extra_headers = dict(extra_headers or {})
        self.connect_to = {k.lower(): v for k, v in (connect_to or {}).items()}
        self._addresses: dict[str, str] = {}

    def _address(self, host: str) -> str:
        """The address to connect to, after the private-address guard."""
        if host in self._addresses:
            return self._addresses[host]
        if host in self.connect_to:
            address = self.connect_to[host][0]
        elif is_localhost_name(host):
            address = LOOPBACK_V4
        else:
            address = literal_address(host) or ""
            if not address:
                try:
                    found = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
                    address = str(found[0][4][0])
                except (socket.gaierror, UnicodeError) as exc:
                    raise FetchRefused(f"cannot resolve host '{host}' ({exc})") from None
        kind = non_public_kind(address)
        if kind is not None and not self.allow_private_hosts:
            raise FetchRefused(refusal_message(host, address, kind))
        self._addresses[host] = address
        return address

    def get(self, url: str) -> Fetched:
        """GET ``url`` following redirects; never raises (problems are in ``error``)."""
        started = time.monotonic()
        result = Fetched(url)
        current = url
        try:
            for _ in range(MAX_REDIRECTS + 1):
                result = self._get_once(current)
                location = result.headers.get("location")
                if result.status in REDIRECT_CODES and location:
                    current = urljoin(current, location)
                    continue
                break
            else:
                result = Fetched(url, error=f"more than {MAX_REDIRECTS} redirects")
        except FetchRefused as exc:
            result = Fetched(current, error=str(exc))
        except (OSError, http.client.HTTPException, ValueError) as exc:
            kind = "timed out" if isinstance(exc, TimeoutError | socket.timeout) else str(exc)
            result = Fetched(current, error=kind or type(exc).__name__)
        result.seconds = time.monotonic() - started
        log.debug("GET %s -> %s %s", url, result.status, result.error or "")
        return result

    def _get_once(self, url: str) -> Fetched:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchRefused(f"not an http(s) URL: {url}")
        host = parts.hostname.lower()
        address = self._address(host)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        if host in self.connect_to:
            port = self.connect_to[host][1]
        conn: http.client.HTTPConnection
        if parts.scheme == "https":
            conn = _PinnedHTTPS(host, port, address, self.timeout)
        else:
            conn = http.client.HTTPConnection(address, port, timeout=self.timeout)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        netloc = host if parts.port is None else f"{host}:{parts.port}"
        headers = {
            "Host": netloc,
            "User-Agent": self.user_agent,
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Encoding": "gzip, deflate",
            "Accept-Language": "id,en;q=0.8",
            **self.extra_headers,
        }
        try:
            conn.request("GET", target, headers=headers)
            response = conn.getresponse()
            raw = response.read(self.max_bytes + 1)
            status = response.status
            found = {k.lower(): v for k, v in response.getheaders()}
        finally:
            conn.close()
        if len(raw) > self.max_bytes:
            return Fetched(url, status, found, error=f"page larger than {self.max_bytes} bytes")
        body = self._decode(raw, found.get("content-encoding", ""))
        if body is None:
            return Fetched(url, status, found,
                           error=f"body not readable or larger than {self.max_bytes} bytes "
                                 "after decompression")
        return Fetched(url, status, found, body)

    def _decode(self, raw: bytes, encoding: str) -> bytes | None:
        encoding = encoding.strip().lower()
        if encoding not in ("gzip", "x-gzip", "deflate"):
            return raw
        wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
        try:
            inflater = zlib.decompressobj(wbits)
            body = inflater.decompress(raw, self.max_bytes + 1)
        except zlib.error:
            return None
        return None if len(body) > self.max_bytes else body
