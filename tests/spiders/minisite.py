"""A tiny HTTP server for crawler tests: fixed responses per (host, path), all requests logged.

Routing is by the Host header (without port), like the fixture web, so one server on 127.0.0.1
can play several outlets under ``<name>.localhost``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Page:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    declared_length: int | None = None  # a Content-Length that lies: a truncated body


class MiniSite:
    """``site.pages[(host, path_with_query)] = Page(...)``; unknown paths answer 404.

    A list of pages is served in turn (the last one stays): faults that heal on retry. A page
    with an ``ETag`` header answers ``304`` to a request whose ``If-None-Match`` names it.
    ``requests_with_headers`` logs (host, path, lower-case request headers).
    """

    def __init__(self) -> None:
        self.pages: dict[tuple[str, str], Page | list[Page]] = {}
        self.requests: list[tuple[str, str]] = []
        self.requests_with_headers: list[tuple[str, str, dict[str, str]]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                host = (self.headers.get("Host") or "").split(":")[0].lower()
                site.requests.append((host, self.path))
                site.requests_with_headers.append(
                    (host, self.path, {k.lower(): v for k, v in self.headers.items()}))
                page = site.next_page(host, self.path)
                etag = page.headers.get("ETag")
                if etag and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(page.status)
                self.send_header("Content-Type", page.content_type)
                length = page.declared_length or len(page.body)
                self.send_header("Content-Length", str(length))
                for name, value in page.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(page.body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def next_page(self, host: str, path: str) -> Page:
        found = self.pages.get((host, path))
        if isinstance(found, list):
            return found.pop(0) if len(found) > 1 else found[0]
        return found or Page(b"not found", 404)

    def base(self, host: str) -> str:
        return f"http://{host}:{self.port}"

    def add(self, host: str, path: str, body: str | bytes, **kw: object) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.pages[(host, path)] = Page(data, **kw)  # type: ignore[arg-type]

    def paths_requested(self, host: str) -> list[str]:
        return [p for h, p in self.requests if h == host]

    def __enter__(self) -> MiniSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
