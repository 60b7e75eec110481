"""HTTP request handler: Host routing, HEAD, ETag / Last-Modified and conditional GET.

A request may carry ``X-Pantau-As-Of: <ISO 8601 moment with time zone>`` (pantau's crawler sends
it only while ``PANTAU_AS_OF`` is set): it is then served as of that moment, whatever the
server's own clock (:meth:`FixtureWeb.set_as_of`) says; without it the server's clock decides.
A malformed value answers 400.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from datetime import datetime
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler
from typing import Any, Protocol

from fixtureweb import dates
from fixtureweb.control import CONTROL_SLUG
from fixtureweb.fault_answers import Page, serve_fault
from fixtureweb.faults import Fault
from fixtureweb.site import TEXT, Response

log = logging.getLogger(__name__)

HOST_SUFFIX = ".localhost"
#: Serve this request as of the header's moment (spiders.middlewares.as_of sends it).
AS_OF_HEADER = "X-Pantau-As-Of"


class SiteRouter(Protocol):
    """What the handler needs from the server: a response per (outlet slug, host, target)."""

    def respond(self, slug: str, host: str, target: str,
                as_of: datetime | None = None) -> Response | None: ...

    def record(self, host: str, target: str, method: str) -> None: ...

    def fault_for(self, slug: str, host: str, target: str) -> Fault | None: ...

    def control(self, method: str, target: str, body: bytes) -> Response: ...

    def not_found_body(self, slug: str, host: str, target: str,
                       as_of: datetime | None = None) -> bytes: ...

    @property
    def stopping(self) -> threading.Event: ...


def outlet_slug(host_header: str) -> tuple[str, str]:
    """``("iphedia", "iphedia.localhost")`` from ``iphedia.localhost:8080``; slug may be ''."""
    hostname = host_header.strip().lower()
    # "[::1]:8080" keeps its brackets; "name:8080" loses the port
    hostname = hostname.split("]")[0] + "]" if hostname.startswith("[") else hostname.split(":")[0]
    slug = hostname[: -len(HOST_SUFFIX)] if hostname.endswith(HOST_SUFFIX) else ""
    return slug, hostname


def requested_as_of(value: str | None) -> datetime | None:
    """The moment of an ``X-Pantau-As-Of`` header (None without one); ValueError if malformed."""
    if value is None or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{AS_OF_HEADER}: {value!r} is not an ISO 8601 moment") from None
    if moment.tzinfo is None:
        raise ValueError(f"{AS_OF_HEADER}: {value!r} needs a time zone, e.g. +07:00")
    return moment


def etag_for(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:20] + '"'


def _etag_matches(header: str, etag: str) -> bool:
    candidates = [c.strip().removeprefix("W/") for c in header.split(",")]
    return "*" in candidates or etag in candidates


def not_modified(response: Response, etag: str, if_none_match: str | None,
                 if_modified_since: str | None) -> bool:
    """RFC 9110 order: If-None-Match decides when present, else If-Modified-Since."""
    if if_none_match is not None:
        return _etag_matches(if_none_match, etag)
    if if_modified_since is None or response.last_modified is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:
        return False
    return response.last_modified.replace(microsecond=0) <= since


class FixtureHandler(BaseHTTPRequestHandler):
    """Serves the fixture outlets; the server object carries a ``router`` (:class:`SiteRouter`)."""

    protocol_version = "HTTP/1.1"
    server_version = "fixtureweb/1.0"
    timeout = 30

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self._serve(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(with_body=False)

    def do_POST(self) -> None:  # noqa: N802
        self._change()

    def do_PUT(self) -> None:  # noqa: N802
        self._change()

    def do_DELETE(self) -> None:  # noqa: N802
        self._change()

    def _change(self) -> None:
        """POST/PUT/DELETE: only the control host takes them; outlets answer 405."""
        router: SiteRouter = self.server.router  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        slug, hostname = outlet_slug(self.headers.get("Host", ""))
        if slug == CONTROL_SLUG:
            self._send(router.control(self.command, self.path, body), with_body=True)
            return
        router.record(hostname, self.path, self.command)
        self._send(Response(405, TEXT, b"read-only: use GET or HEAD\n",
                            headers={"Allow": "GET, HEAD"}), with_body=True)

    def _serve(self, with_body: bool) -> None:
        router: SiteRouter = self.server.router  # type: ignore[attr-defined]
        slug, hostname = outlet_slug(self.headers.get("Host", ""))
        if slug == CONTROL_SLUG:  # not an outlet, not logged
            self._send(router.control(self.command, self.path, b""), with_body)
            return
        router.record(hostname, self.path, self.command)
        host_header = self.headers.get("Host", "")
        try:
            as_of = requested_as_of(self.headers.get(AS_OF_HEADER))
        except ValueError as exc:
            self._send(Response(400, TEXT, f"{exc}\n".encode()), with_body)
            return
        fault = router.fault_for(slug, hostname, self.path) if slug else None
        if fault is not None:
            self._serve_fault(router, fault, slug, host_header, with_body, as_of)
            return
        response = router.respond(slug, host_header, self.path, as_of) if slug else None
        if response is None:
            message = (f"unknown host {hostname!r}: address an outlet as "
                       "http://<slug>.localhost:<port>/\n")
            response = Response(404, TEXT, message.encode())
        self._send(response, with_body)

    def _serve_fault(self, router: SiteRouter, fault: Fault, slug: str, host_header: str,
                     with_body: bool, as_of: datetime | None = None) -> None:
        def page() -> Page:
            response = router.respond(slug, host_header, self.path, as_of)
            if response is None:
                return Page(404, TEXT, b"unknown outlet\n", {})
            headers = dict(response.headers)
            if response.status == 200:
                headers["ETag"] = etag_for(response.body)
                if response.last_modified is not None:
                    headers["Last-Modified"] = dates.http_date(response.last_modified)
            return Page(response.status, response.content_type, response.body, headers)

        log.debug("fault %s answers %s %s", fault.kind, host_header, self.path)
        serve_fault(fault, self, page, with_body, router.stopping,
                    lambda: router.not_found_body(slug, host_header, self.path, as_of))

    def _send(self, response: Response, with_body: bool) -> None:
        status, body = response.status, response.body
        extra: dict[str, str] = dict(response.headers)
        if status == 200:
            etag = etag_for(body)
            extra["ETag"] = etag
            if response.last_modified is not None:
                extra["Last-Modified"] = dates.http_date(response.last_modified)
            if not_modified(response, etag, self.headers.get("If-None-Match"),
                            self.headers.get("If-Modified-Since")):
                status, body = 304, b""
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(body)))
        for name, value in extra.items():
            self.send_header(name, value)
        self.send_header("Cache-Control", "max-age=60")
        self.end_headers()
        if with_body and body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        log.debug("%s %s", self.address_string(), format % args)
