"""Faults the fixture web can inject per URL: what the real web throws at a nightly crawler.

A :class:`Fault` is registered on a :class:`FaultSet` (``FixtureWeb.inject``) for a URL, a path on
every outlet, or a prefix (a pattern ending in ``*``). While it is active every matching request is
answered by the fault instead of the page; with ``times=N`` it heals after N requests ("retried on
a later night"). Kinds and their parameters (defaults in brackets):

``status``          ``code`` [503], ``retry_after`` [none]: an error page, optional Retry-After.
``timeout``         ``seconds`` [10]: hang that long before answering normally (stop() ends it).
``reset``           close the connection with a TCP RST, no response at all.
``truncate``        ``keep`` [half the body]: Content-Length of the whole page, fewer bytes, close.
``charset``         ``declared`` ["UTF-8"; None = no charset anywhere], ``encoding``
                    ["windows-1252"]: the page bytes in ``encoding`` under a wrong or absent label.
``redirect_chain``  ``hops`` [3], ``code`` [302]: ``?fw_hop=1`` ... ``?fw_hop=N``, then the page.
``redirect_loop``   ``code`` [302]: ``path`` -> ``?fw_loop=1`` <-> ``?fw_loop=2``, forever.
``redirect_to``     ``location`` ["http://127.0.0.1:1/"], ``code`` [302]: off-site / private.
``gone``            ``code`` [410; or 404]: the outlet's themed not-found page.
``malformed_xml``   the page (feed, sitemap) cut mid-way plus unbalanced tags and a bare ``&``.
``gzip_bomb``       ``size`` [1 GiB]: ``Content-Encoding: gzip`` of that many zero bytes
                    (about 1 MiB on the wire; built once per size and cached, never inflated).
``huge``            ``size`` [50 MiB]: an HTML page of that many bytes, streamed in chunks.
"""

from __future__ import annotations

import functools
import logging
import re
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BufferedIOBase
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

log = logging.getLogger(__name__)

GIB = 1 << 30
MIB = 1 << 20

# kind -> allowed parameters with their defaults
KINDS: dict[str, dict[str, Any]] = {
    "status": {"code": 503, "retry_after": None},
    "timeout": {"seconds": 10.0},
    "reset": {},
    "truncate": {"keep": None},
    "charset": {"declared": "UTF-8", "encoding": "windows-1252"},
    "redirect_chain": {"hops": 3, "code": 302},
    "redirect_loop": {"code": 302},
    "redirect_to": {"location": "http://127.0.0.1:1/", "code": 302},
    "gone": {"code": 410},
    "malformed_xml": {},
    "gzip_bomb": {"size": GIB},
    "huge": {"size": 50 * MIB},
}
HOP_PARAM = "fw_hop"
LOOP_PARAM = "fw_loop"
_MAX_TIMEOUT = 600.0


@dataclass
class Fault:
    """One injected fault; ``hits`` counts the requests it answered (redirect hops excluded)."""

    kind: str
    host: str | None  # lower-case hostname without port; None = every outlet
    target: str  # path, path?query, or a prefix ending in "*"
    params: dict[str, Any]
    times: int | None = None
    hits: int = 0

    @property
    def active(self) -> bool:
        return self.times is None or self.hits < self.times

    def matches(self, host: str, target: str) -> bool:
        if self.host is not None and self.host != host:
            return False
        if self.target.endswith("*"):
            return target.startswith(self.target[:-1])
        if "?" in self.target:
            return _without_markers(target) == self.target
        return target.partition("?")[0] == self.target


def _without_markers(target: str) -> str:
    path, _, query = target.partition("?")
    kept = [p for p in query.split("&") if p and p.split("=")[0] not in (HOP_PARAM, LOOP_PARAM)]
    return path + ("?" + "&".join(kept) if kept else "")


def _marker(target: str, name: str) -> int | None:
    values = parse_qs(urlsplit(target).query).get(name)
    if not values:
        return None
    try:
        return int(values[0])
    except ValueError:
        return None


def _with_param(target: str, name: str, value: int | None) -> str:
    base = _without_markers(target)
    if value is None:
        return base
    return f"{base}{'&' if '?' in base else '?'}{name}={value}"


def parse_pattern(url_or_path: str) -> tuple[str | None, str]:
    """``(hostname or None, target)`` from a URL (port ignored) or a path; checks the shape."""
    if url_or_path.startswith(("http://", "https://")):
        parts = urlsplit(url_or_path)
        if not parts.hostname:
            raise ValueError(f"{url_or_path!r}: no host name in the URL")
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return parts.hostname.lower(), target
    if not url_or_path.startswith("/"):
        raise ValueError(f"{url_or_path!r}: give a full http:// URL or a path starting with '/'")
    return None, url_or_path


def make_fault(url_or_path: str, kind: str, times: int | None = None,
               **params: Any) -> Fault:
    """A validated :class:`Fault`; errors name the allowed kinds or parameters."""
    if kind not in KINDS:
        raise ValueError(f"unknown fault {kind!r}; use one of {', '.join(KINDS)}")
    unknown = set(params) - set(KINDS[kind])
    if unknown:
        allowed = ", ".join(KINDS[kind]) or "none"
        raise ValueError(f"fault {kind!r}: unknown parameter(s) {', '.join(sorted(unknown))}; "
                         f"allowed: {allowed}")
    if times is not None and times < 1:
        raise ValueError("times must be at least 1 (or None for a fault that never heals)")
    merged = {**KINDS[kind], **params}
    if kind == "gone" and merged["code"] not in (404, 410):
        raise ValueError("fault 'gone': code must be 404 or 410")
    if kind == "status" and not 400 <= int(merged["code"]) <= 599:
        raise ValueError("fault 'status': code must be a 4xx or 5xx status")
    if kind == "redirect_chain" and int(merged["hops"]) < 1:
        raise ValueError("fault 'redirect_chain': hops must be at least 1")
    if kind == "timeout" and not 0 < float(merged["seconds"]) <= _MAX_TIMEOUT:
        raise ValueError(f"fault 'timeout': seconds must be in (0, {_MAX_TIMEOUT:g}]")
    host, target = parse_pattern(url_or_path)
    return Fault(kind=kind, host=host, target=target, params=merged, times=times)


@dataclass
class FaultSet:
    """The injected faults of one server; the newest matching active fault wins."""

    faults: list[Fault] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, fault: Fault) -> Fault:
        with self.lock:
            self.faults.append(fault)
        log.debug("fault %s injected for %s%s", fault.kind, fault.host or "*", fault.target)
        return fault

    def clear(self) -> None:
        with self.lock:
            self.faults.clear()

    def take(self, host: str, target: str) -> Fault | None:
        """The fault answering this request, counting a hit; None when the page is served.

        Follow-up requests of a redirect fault (``fw_hop`` / ``fw_loop`` in the query) are
        answered by it even once healed and do not count.
        """
        follow_up = _marker(target, HOP_PARAM) is not None or \
            _marker(target, LOOP_PARAM) is not None
        with self.lock:
            for fault in reversed(self.faults):
                if not fault.matches(host, target):
                    continue
                if follow_up and fault.kind in ("redirect_chain", "redirect_loop"):
                    return fault
                if fault.active:
                    fault.hits += 1
                    return fault
        return None


# -- answering a request with a fault ---------------------------------------------------------


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
        handler(fault, exchange, page, with_body, stopping, not_found)
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


def _status(fault: Fault, ex: Exchange, page: Callable[[], Page], with_body: bool,
            stopping: threading.Event, not_found: Callable[[], bytes]) -> None:
    code = int(fault.params["code"])
    headers = {}
    if fault.params["retry_after"] is not None:
        headers["Retry-After"] = str(fault.params["retry_after"])
    body = f"{code} - layanan sedang tidak tersedia, coba lagi nanti\n".encode()
    _send(ex, code, _TEXT, body, with_body, headers)


def _timeout(fault: Fault, ex: Exchange, page: Callable[[], Page], with_body: bool,
             stopping: threading.Event, not_found: Callable[[], bytes]) -> None:
    deadline = time.monotonic() + float(fault.params["seconds"])
    while not stopping.is_set() and time.monotonic() < deadline:
        stopping.wait(min(0.05, max(0.0, deadline - time.monotonic())))
    if stopping.is_set():
        ex.close_connection = True
        return
    normal = page()
    _send(ex, normal.status, normal.content_type, normal.body, with_body, normal.headers)


def _reset(fault: Fault, ex: Exchange, page: Callable[[], Page], with_body: bool,
           stopping: threading.Event, not_found: Callable[[], bytes]) -> None:
    # SO_LINGER with a zero timeout makes close() send RST instead of FIN
    ex.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    ex.close_connection = True
    ex.connection.close()


def _truncate(fault: Fault, ex: Exchange, page: Callable[[], Page], with_body: bool,
              stopping: threading.Event, not_found: Callable[[], bytes]) -> None:
    normal = page()
    keep = fault.params["keep"]
    keep = len(normal.body) // 2 if keep is None else min(int(keep), len(normal.body) - 1)
    ex.close_connection = True
    _send(ex, normal.status, normal.content_type, normal.body[: max(keep, 0)], with_body,
          length=len(normal.body))
    ex.wfile.flush()


_META_CHARSET = re.compile(
    r"""<meta\s+charset=["']?[\w-]+["']?\s*/?>|"""
    r"""<meta\s+content=["']text/html;\s*charset=[\w-]+["']\s+http-equiv=["']Content-Type["']"""
    r"""\s*/?>""", re.I)


def _charset(fault: Fault, ex: Exchange, page: Callable[[], Page], with_body: bool,
             stopping: threading.Event, not_found: Callable[[], bytes]) -> None:
    normal = page()
    text = normal.body.decode("utf-8")
    declared = fault.params["declared"]
    mime = normal.content_type.split(";")[0].strip()
    if declared is None:
        text = _META_CHARSET.sub("", text)
        content_type = mime
    else:
        content_type = f"{mime}; charset={declared}"
    body = text.encode(fault.params["encoding"], errors="xmlcharrefreplace")
    _send(ex, normal.status, content_type, body, with_body, normal.headers)


def _redirect(ex: Exchange, code: int, location: str, with_body: bool) -> None:
    _send(ex, code, _TEXT, f"Moved to {location}\n".encode(), with_body, {"Location": location})


def _redirect_chain(fault: Fault, ex: Exchange, page: Callable[[], Page], with_body: bool,
                    stopping: threading.Event, not_found: Callable[[], bytes]) -> None:
    hop = _marker(ex.path, HOP_PARAM) or 0
    hops = int(fault.params["hops"])
    if hop >= hops:
        normal = page()
        _send(ex, normal.status, normal.content_type, normal.body, with_body, normal.headers)
        return
    _redirect(ex, int(fault.params["code"]), _with_param(ex.path, HOP_PARAM, hop + 1), with_body)


def _redirect_loop(fault: Fault, ex: Exchange, page: Callable[[], Page], with_body: bool,
                   stopping: threading.Event, not_found: Callable[[], bytes]) -> None:
    step = _marker(ex.path, LOOP_PARAM)
    location = _with_param(ex.path, LOOP_PARAM, 2 if step == 1 else 1)
    _redirect(ex, int(fault.params["code"]), location, with_body)


def _redirect_to(fault: Fault, ex: Exchange, page: Callable[[], Page], with_body: bool,
                 stopping: threading.Event, not_found: Callable[[], bytes]) -> None:
    _redirect(ex, int(fault.params["code"]), str(fault.params["location"]), with_body)


def _gone(fault: Fault, ex: Exchange, page: Callable[[], Page], with_body: bool,
          stopping: threading.Event, not_found: Callable[[], bytes]) -> None:
    _send(ex, int(fault.params["code"]), _HTML, not_found(), with_body)


def _malformed_xml(fault: Fault, ex: Exchange, page: Callable[[], Page], with_body: bool,
                   stopping: threading.Event, not_found: Callable[[], bytes]) -> None:
    normal = page()
    cut = normal.body[: max(len(normal.body) * 3 // 5, 1)]
    body = cut + b"\n<item><title>Berita & <b>rusak</title></channel>\n"
    _send(ex, normal.status, normal.content_type, body, with_body, normal.headers)


def _gf2_times(matrix: list[int], vector: int) -> int:
    total, row = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[row]
        vector >>= 1
        row += 1
    return total


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, matrix[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of A+B from crc(A), crc(B) and len(B) (zlib's algorithm, in GF(2))."""
    if len2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << (n - 1) for n in range(1, 32)]  # one zero bit
    even = _gf2_square(odd)  # two zero bits
    odd = _gf2_square(even)  # four zero bits
    while True:
        even = _gf2_square(odd)
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = _gf2_square(even)
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def _crc32_repeated(block: bytes, count: int) -> int:
    """CRC-32 of ``block`` repeated ``count`` times, by doubling (no big buffer, no long loop)."""
    result, piece, piece_len = 0, zlib.crc32(block), len(block)
    while count:
        if count & 1:
            result = crc32_combine(result, piece, piece_len)
        piece = crc32_combine(piece, piece, piece_len)
        piece_len *= 2
        count >>= 1
    return result


@functools.lru_cache(maxsize=4)
def gzip_bomb_bytes(size: int) -> bytes:
    """A gzip member inflating to ``size`` zero bytes, built without holding them in memory.

    One MiB of zeros is deflated once with a full flush (which makes the block independent of
    what came before); that block is repeated, the remainder added, and the gzip trailer
    (CRC-32 and length) computed by combining CRCs.
    """
    if size < 1:
        raise ValueError("gzip bomb size must be positive")
    chunk_size = min(size, MIB)
    zeros = bytes(chunk_size)
    full, rest = divmod(size, chunk_size)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    parts = [b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff", block * full]
    if rest:
        parts.append(compressor.compress(bytes(rest)))
    parts.append(compressor.flush(zlib.Z_FINISH))
    crc = crc32_combine(_crc32_repeated(zeros, full), zlib.crc32(bytes(rest)), rest)
    parts.append(struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF))
    return b"".join(parts)


def _gzip_bomb(fault: Fault, ex: Exchange, page: Callable[[], Page], with_body: bool,
               stopping: threading.Event, not_found: Callable[[], bytes]) -> None:
    body = gzip_bomb_bytes(int(fault.params["size"]))
    _send(ex, 200, _HTML, body, with_body, {"Content-Encoding": "gzip"})


_HUGE_HEAD = (b"<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\">"
              b"<title>Halaman sangat besar</title></head><body><article>\n")
_HUGE_TAIL = b"</article></body></html>\n"
_HUGE_PARAGRAPH = (b"<p>Paragraf pengisi ini diulang terus-menerus agar halaman menjadi sangat "
                   b"besar; perayap harus berhenti membaca setelah batas ukuran halaman.</p>\n")


def _huge(fault: Fault, ex: Exchange, page: Callable[[], Page], with_body: bool,
          stopping: threading.Event, not_found: Callable[[], bytes]) -> None:
    size = max(int(fault.params["size"]), len(_HUGE_HEAD) + len(_HUGE_TAIL))
    ex.send_response(200)
    ex.send_header("Content-Type", _HTML)
    ex.send_header("Content-Length", str(size))
    ex.end_headers()
    if not with_body:
        return
    ex.wfile.write(_HUGE_HEAD)
    remaining = size - len(_HUGE_HEAD) - len(_HUGE_TAIL)
    block = _HUGE_PARAGRAPH * (64 * 1024 // len(_HUGE_PARAGRAPH))
    while remaining > 0 and not stopping.is_set():
        piece = block[:remaining]
        ex.wfile.write(piece)
        remaining -= len(piece)
    if stopping.is_set():
        ex.close_connection = True
        return
    ex.wfile.write(_HUGE_TAIL)


_HANDLERS: dict[str, Callable[..., None]] = {
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
}
