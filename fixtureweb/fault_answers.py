"""How each fault kind answers a request (see :mod:`fixtureweb.faults` for the kinds).

The handler passes itself as an :class:`Exchange` and a callable giving the normal answer
(:class:`Page`) that faults such as ``truncate`` or ``charset`` distort.
"""

from __future__ import annotations

import logging
import re
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from io import BufferedIOBase
from typing import Protocol

from fixtureweb.faults import HOP_PARAM, LOOP_PARAM, Fault, marker, with_param
from fixtureweb.gzipbomb import gzip_bomb_bytes

log = logging.getLogger(__name__)


class Exchange(Protocol):
    """What a fault needs from the HTTP handler."""

    path: str
    wfile: BufferedIOBase
    connection: socket.socket
    close_connection: bool

    def send_response(self, code: int, message: str | None = None) -> None: ...

    def send_header(self, keyword: str, value: str) -> None: ...

    def end_headers(self) -> None: ...


@dataclass(frozen=True)
class Call:
    """One request being answered by a fault: the normal answer on demand, HEAD or GET, the
    server's stop signal and the outlet's themed not-found page."""

    page: Callable[[], Page]
    with_body: bool
    stopping: threading.Event
    not_found: Callable[[], bytes]


@dataclass(frozen=True)
class Page:
    """The normal answer the fault distorts (what the site would have sent)."""

    status: int
    content_type: str
    body: bytes
    headers: dict[str, str]


def serve_fault(fault: Fault, exchange: Exchange, page: Callable[[], Page], with_body: bool,
                stopping: threading.Event, not_found: Callable[[], bytes]) -> None:
    """Answer the request in ``exchange`` the way ``fault`` says."""
    handler = _HANDLERS[fault.kind]
    try:
        handler(fault, exchange, Call(page, with_body, stopping, not_found))
    except (BrokenPipeError, ConnectionResetError):
        log.debug("client went away during fault %s", fault.kind)
        exchange.close_connection = True


def _send(exchange: Exchange, status: int, content_type: str, body: bytes, with_body: bool,
          headers: dict[str, str] | None = None, length: int | None = None) -> None:
    exchange.send_response(status)
    exchange.send_header("Content-Type", content_type)
    exchange.send_header("Content-Length", str(len(body) if length is None else length))
    for name, value in (headers or {}).items():
        exchange.send_header(name, value)
    exchange.end_headers()
    if with_body and body:
        exchange.wfile.write(body)


_TEXT = "text/plain; charset=UTF-8"
_HTML = "text/html; charset=UTF-8"


def _status(fault: Fault, ex: Exchange, call: Call) -> None:
    code = int(fault.params["code"])
    headers = {}
    if fault.params["retry_after"] is not None:
        headers["Retry-After"] = str(fault.params["retry_after"])
    body = f"{code} - layanan sedang tidak tersedia, coba lagi nanti\n".encode()
    _send(ex, code, _TEXT, body, call.with_body, headers)


def _timeout(fault: Fault, ex: Exchange, call: Call) -> None:
    deadline = time.monotonic() + float(fault.params["seconds"])
    while not call.stopping.is_set() and time.monotonic() < deadline:
        call.stopping.wait(min(0.05, max(0.0, deadline - time.monotonic())))
    if call.stopping.is_set():
        ex.close_connection = True
        return
    normal = call.page()
    _send(ex, normal.status, normal.content_type, normal.body, call.with_body, normal.headers)


def _reset(fault: Fault, ex: Exchange, call: Call) -> None:
    # SO_LINGER with a zero timeout makes close() send RST instead of FIN
    ex.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    ex.close_connection = True
    ex.connection.close()


def _truncate(fault: Fault, ex: Exchange, call: Call) -> None:
    normal = call.page()
    keep = fault.params["keep"]
    keep = len(normal.body) // 2 if keep is None else min(int(keep), len(normal.body) - 1)
    ex.close_connection = True
    _send(ex, normal.status, normal.content_type, normal.body[: max(keep, 0)], call.with_body,
          length=len(normal.body))
    ex.wfile.flush()


_META_CHARSET = re.compile(
    r"""<meta\s+charset=["']?[\w-]+["']?\s*/?>|"""
    r"""<meta\s+content=["']text/html;\s*charset=[\w-]+["']\s+http-equiv=["']Content-Type["']"""
    r"""\s*/?>""", re.I)


def _charset(fault: Fault, ex: Exchange, call: Call) -> None:
    normal = call.page()
    text = normal.body.decode("utf-8")
    declared = fault.params["declared"]
    mime = normal.content_type.split(";")[0].strip()
    if declared is None:
        text = _META_CHARSET.sub("", text)
        content_type = mime
    else:
        content_type = f"{mime}; charset={declared}"
    body = text.encode(fault.params["encoding"], errors="xmlcharrefreplace")
    _send(ex, normal.status, content_type, body, call.with_body, normal.headers)


def _redirect(ex: Exchange, code: int, location: str, with_body: bool) -> None:
    _send(ex, code, _TEXT, f"Moved to {location}\n".encode(), with_body, {"Location": location})


def _redirect_chain(fault: Fault, ex: Exchange, call: Call) -> None:
    hop = marker(ex.path, HOP_PARAM) or 0
    hops = int(fault.params["hops"])
    if hop >= hops:
        normal = call.page()
        _send(ex, normal.status, normal.content_type, normal.body, call.with_body, normal.headers)
        return
    location = with_param(ex.path, HOP_PARAM, hop + 1)
    _redirect(ex, int(fault.params["code"]), location, call.with_body)


def _redirect_loop(fault: Fault, ex: Exchange, call: Call) -> None:
    step = marker(ex.path, LOOP_PARAM)
    location = with_param(ex.path, LOOP_PARAM, 2 if step == 1 else 1)
    _redirect(ex, int(fault.params["code"]), location, call.with_body)


def _redirect_to(fault: Fault, ex: Exchange, call: Call) -> None:
    _redirect(ex, int(fault.params["code"]), str(fault.params["location"]), call.with_body)


def _gone(fault: Fault, ex: Exchange, call: Call) -> None:
    _send(ex, int(fault.params["code"]), _HTML, call.not_found(), call.with_body)


def _malformed_xml(fault: Fault, ex: Exchange, call: Call) -> None:
    normal = call.page()
    cut = normal.body[: max(len(normal.body) * 3 // 5, 1)]
    body = cut + b"\n<item><title>Berita & <b>rusak</title></channel>\n"
    _send(ex, normal.status, normal.content_type, body, call.with_body, normal.headers)


def _gzip_bomb(fault: Fault, ex: Exchange, call: Call) -> None:
    body = gzip_bomb_bytes(int(fault.params["size"]))
    _send(ex, 200, _HTML, body, call.with_body, {"Content-Encoding": "gzip"})


_HUGE_HEAD = (b"<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\">"
              b"<title>Halaman sangat besar</title></head><body><article>\n")
_HUGE_TAIL = b"</article></body></html>\n"
_HUGE_PARAGRAPH = (b"<p>Paragraf pengisi ini diulang terus-menerus agar halaman menjadi sangat "
                   b"besar; perayap harus berhenti membaca setelah batas ukuran halaman.</p>\n")


def _huge(fault: Fault, ex: Exchange, call: Call) -> None:
    size = max(int(fault.params["size"]), len(_HUGE_HEAD) + len(_HUGE_TAIL))
    ex.send_response(200)
    ex.send_header("Content-Type", _HTML)
    ex.send_header("Content-Length", str(size))
    ex.end_headers()
    if not call.with_body:
        return
    ex.wfile.write(_HUGE_HEAD)
    remaining = size - len(_HUGE_HEAD) - len(_HUGE_TAIL)
    block = _HUGE_PARAGRAPH * (64 * 1024 // len(_HUGE_PARAGRAPH))
    while remaining > 0 and not call.stopping.is_set():
        piece = block[:remaining]
        ex.wfile.write(piece)
        remaining -= len(piece)
    if call.stopping.is_set():
        ex.close_connection = True
        return
    ex.wfile.write(_HUGE_TAIL)


_ENTRY = re.compile(rb"<(item|entry|url|sitemap)\b[^>]*>.*?</\1\s*>\s*", re.S)
_ITEM_LINK = re.compile(rb"(<(?:link|loc|guid)\b[^>]*>)([^<]+)(</(?:link|loc|guid)>)|"
                        rb"(<link\b[^>]*\bhref=\")([^\"]+)(\")")


def _is_xml(page: Page) -> bool:
    return "xml" in page.content_type or page.body.lstrip()[:5] == b"<?xml"


def _empty(fault: Fault, ex: Exchange, call: Call) -> None:
    normal = call.page()
    body = _ENTRY.sub(b"", normal.body) if _is_xml(normal) else normal.body
    _send(ex, normal.status, normal.content_type, body, call.with_body, normal.headers)


def _relink(fault: Fault, ex: Exchange, call: Call) -> None:
    normal = call.page()
    if not _is_xml(normal):
        _send(ex, normal.status, normal.content_type, normal.body, call.with_body, normal.headers)
        return
    count = 0

    def listing(match: re.Match[bytes]) -> bytes:
        nonlocal count
        first = 1 if match.group(1) else 4
        open_, url, close = match.group(first, first + 1, first + 2)
        host = re.match(rb"\s*(https?://[^/]+)", url)
        if host is None:
            return match.group(0)
        count += 1
        path = str(fault.params["path"]).encode()
        return open_ + host.group(1) + path + b"?fw_item=" + str(count).encode() + close

    # only links inside entries: the channel's own <link> stays
    def entry(match: re.Match[bytes]) -> bytes:
        return _ITEM_LINK.sub(listing, match.group(0))

    body = _ENTRY.sub(entry, normal.body)
    _send(ex, normal.status, normal.content_type, body, call.with_body, normal.headers)


_BODY = re.compile(rb"<body\b[^>]*>.*</body\s*>", re.S | re.I)
_SHELL = (b'<body><div id="app"><noscript>Aktifkan JavaScript untuk membaca berita ini.'
          b'</noscript></div><script src="/static/app.js"></script>'
          b'<script>window.__INITIAL_STATE__={"page":"article"};</script></body>')


def _js_shell(fault: Fault, ex: Exchange, call: Call) -> None:
    normal = call.page()
    body = normal.body
    if "html" in normal.content_type:
        body = _BODY.sub(_SHELL, body, count=1)
    _send(ex, normal.status, normal.content_type, body, call.with_body, normal.headers)


_HANDLERS: dict[str, Callable[[Fault, Exchange, Call], None]] = {
    "status": _status,
    "timeout": _timeout,
    "reset": _reset,
    "truncate": _truncate,
    "charset": _charset,
    "redirect_chain": _redirect_chain,
    "redirect_loop": _redirect_loop,
    "redirect_to": _redirect_to,
    "gone": _gone,
    "malformed_xml": _malformed_xml,
    "gzip_bomb": _gzip_bomb,
    "huge": _huge,
    "empty": _empty,
    "relink": _relink,
    "js_shell": _js_shell,
}
