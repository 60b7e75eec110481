"""FixtureWeb: the fixture outlets served by one ThreadingHTTPServer on loopback."""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
import zlib
from datetime import datetime
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from fixtureweb.boilerplate import boilerplate_by_outlet
from fixtureweb.content import CONTENT_DIR, load_outlets
from fixtureweb.control import CONTROL_SLUG, control
from fixtureweb.expected import expected_articles
from fixtureweb.faults import Fault, FaultSet, make_fault, read_fault_file
from fixtureweb.handler import HOST_SUFFIX, FixtureHandler
from fixtureweb.model import Article, Outlet
from fixtureweb.paging import page_urls, single_page_url
from fixtureweb.render import make_environment
from fixtureweb.site import TEXT, OutletSite, Response
from fixtureweb.sources import write_sources_yaml
from fixtureweb.synth import synthetic_outlets
from fixtureweb.timeline import Changes, Day, Event, changes_between, events, timeline

log = logging.getLogger(__name__)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # keep-alive clients must not make stop() hang

    def __init__(self, address: tuple[str, int], router: FixtureWeb) -> None:
        self.router = router
        super().__init__(address, FixtureHandler)


def _check_as_of(as_of: datetime | None) -> None:
    if as_of is not None and as_of.tzinfo is None:
        raise ValueError("as_of needs a timezone, e.g. datetime(2026, 11, 15, tzinfo=UTC)")


class FixtureWeb:
    """Offline stand-in for the outlets' web sites, routed by ``<slug>.localhost:<port>``.

    Use as a context manager or call :meth:`start` / :meth:`stop`. With ``as_of`` set (an aware
    datetime) the outlets are served as they were then: articles published later are absent
    everywhere and answer 404, updates made later are not applied yet, articles removed by then
    answer 404/410; :meth:`set_as_of` moves the clock of a running server. Faults are injected
    with :meth:`inject` (see :mod:`fixtureweb.faults`). ``multipage=True`` splits the long
    articles that have page breaks over several pages (:mod:`fixtureweb.paging`).
    ``scale=(n_outlets, n_articles)`` replaces the shipped outlets by generated ones
    (:mod:`fixtureweb.synth`, deterministic for a ``seed``).
    """

    def __init__(self, port: int = 0, host: str = "127.0.0.1", as_of: datetime | None = None,
                 content_dir: Path = CONTENT_DIR, *, multipage: bool = False,
                 scale: tuple[int, int] | None = None, seed: int = 0) -> None:
        _check_as_of(as_of)
        self.host = host
        self.multipage = multipage
        self._as_of = as_of
        self._requested_port = port
        if scale is not None:
            n_outlets, n_articles = scale
            self._outlets = synthetic_outlets(n_outlets, n_articles, seed=seed)
        else:
            self._outlets = load_outlets(content_dir)
        if CONTROL_SLUG in self._outlets:
            raise ValueError(f"no outlet may be called {CONTROL_SLUG!r}: that host name is the "
                             "fixture web's control endpoint")
        self.scale = scale
        self._env = make_environment()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._log: list[tuple[str, str, str]] = []
        # keyed by as_of too, so a response computed while the clock moves is never reused
        self._sites: dict[tuple[str, str, datetime | None], OutletSite] = {}
        # rendered 200 responses, body zlib-compressed (10,000 pages stay well under 100 MB)
        self._cache: dict[tuple[str, str, str, datetime | None], Response] = {}
        self._faults = FaultSet()
        self._stopping = threading.Event()
        self._robots: dict[str, str] = {}  # robots.txt overrides per outlet

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> FixtureWeb:
        """Bind and serve in a background thread; returns self."""
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = _Server((self.host, self._requested_port), self)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.1,),
                                        name=f"fixtureweb:{self.port}", daemon=True)
        self._thread.start()
        log.info("fixture web serving %s on %s:%d", ", ".join(self.outlets), self.host, self.port)
        return self

    def stop(self) -> None:
        """Stop serving and close the socket; safe to call twice."""
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()  # ends hanging (timeout) and streaming (huge) faults
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        log.info("fixture web stopped")

    def __enter__(self) -> FixtureWeb:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # -- public API -----------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FixtureWeb is not running: call start() or use `with FixtureWeb()`")
        return int(self._server.server_address[1])

    @property
    def outlets(self) -> list[str]:
        return list(self._outlets)

    @property
    def requests_log(self) -> list[tuple[str, str, str]]:
        """(hostname, path with query, method) of every request served, oldest first.

        The returned list is the live log; ``clear()`` on it resets the count.
        """
        return self._log

    def base_url(self, slug: str) -> str:
        """``http://<slug>.localhost:<port>/``."""
        if slug not in self._outlets:
            raise KeyError(f"unknown outlet {slug!r}; known: {', '.join(self._outlets)}")
        return f"http://{slug}.localhost:{self.port}/"

    @property
    def boilerplate(self) -> dict[str, list[str]]:
        """``{slug: strings}`` as ``BOILERPLATE``, for this server's outlets (scale mode too)."""
        return boilerplate_by_outlet(self._outlets)

    def write_sources_yaml(self, path: str | Path, *, feeds: bool = True, sitemaps: bool = True,
                           listings: bool = False) -> Path:
        """Write a sources.yaml (design.md contract) listing every outlet at this port.

        By default each entry has the outlet's feed and sitemap; ``listings=True`` adds its
        paginated listing, ``feeds=False`` / ``sitemaps=False`` leave those out.
        """
        return write_sources_yaml(Path(path), self._outlets.values(), self.base_url,
                                  feeds=feeds, sitemaps=sitemaps, listings=listings)

    def set_robots(self, slug: str, text: str | None) -> None:
        """Serve ``text`` as the outlet's robots.txt (e.g. with ``Crawl-delay``, or
        ``Disallow: /``); None restores the outlet's own."""
        self.base_url(slug)  # KeyError for an unknown outlet
        with self._lock:
            if text is None:
                self._robots.pop(slug, None)
            else:
                self._robots[slug] = text

    def expected_articles(self) -> list[dict[str, Any]]:
        """What a perfect extractor returns for every visible article, in outlet order.

        Reflects ``as_of``: updated articles carry their text and title as of that moment.
        """
        return expected_articles(self._outlets.values(), self.as_of, self.base_url)

    def article_pages(self, url: str) -> list[str]:
        """The URLs of the pages ``url`` is served on, in reading order.

        One URL unless the article is split (``page_breaks``) and this server runs with
        ``multipage=True``. Joining the pages' paragraphs gives the expected text.
        """
        outlet, article = self._article_at(url)
        count = len(article.state_at(self._as_of).pages()) if self.multipage else 1
        return list(page_urls(outlet, url, count))

    def single_page_url(self, url: str) -> str | None:
        """The outlet's one-page view of a split article (e.g. ``?single=1``), else None."""
        outlet, article = self._article_at(url)
        if not (self.multipage and len(article.pages()) > 1):
            return None
        return single_page_url(outlet, url)

    def _article_at(self, url: str) -> tuple[Outlet, Article]:
        for slug, outlet in self._outlets.items():
            root = self.base_url(slug).rstrip("/")
            if url.startswith(root + "/"):
                path = url[len(root):]
                for article in outlet.articles:
                    if article.path == path:
                        return outlet, article
        raise KeyError(f"{url!r} is not the URL of a fixture article on this server")

    # -- time travel ----------------------------------------------------------------------

    @property
    def as_of(self) -> datetime | None:
        """The simulated moment the outlets are served as of; None: the final state."""
        return self._as_of

    @as_of.setter
    def as_of(self, moment: datetime | None) -> None:
        self.set_as_of(moment)

    def set_as_of(self, as_of: datetime | None) -> None:
        """Serve every outlet as of ``as_of`` (aware datetime, or None for the final state).

        Takes effect for the next request; the server keeps its port, so a test can crawl
        night after night against one server.
        """
        _check_as_of(as_of)
        with self._lock:
            self._as_of = as_of
            self._sites.clear()
            self._cache.clear()
        log.info("fixture web now serves as of %s", as_of.isoformat() if as_of else "the end")

    def events(self) -> list[Event]:
        """Every publication, update and removal on every outlet, oldest first."""
        return events(self._outlets.values(), self.base_url)

    def timeline(self) -> list[Day]:
        """Per simulated day (outlet time zone): URLs of new, updated and removed articles."""
        return timeline(self._outlets.values(), self.base_url)

    def changes_between(self, since: datetime | None, until: datetime | None) -> Changes:
        """What a crawl at ``until`` should find changed since one at ``since`` (None: never
        crawled / the final state): new, updated (with edited), removed article URLs."""
        _check_as_of(since)
        _check_as_of(until)
        if since is not None and until is not None and since > until:
            raise ValueError(f"since {since.isoformat()} is after until {until.isoformat()}")
        return changes_between(self._outlets.values(), since, until, self.base_url)

    # -- faults -----------------------------------------------------------------------------

    def inject(self, url_or_path: str, fault: str, *, times: int | None = None,
               **params: Any) -> Fault:
        """Answer requests for ``url_or_path`` with ``fault`` (see :mod:`fixtureweb.faults`).

        ``url_or_path``: a full URL (its host's outlet only; the port is ignored), a path
        (``/rss``: that path on every outlet) or either ending in ``*`` (a prefix). A query in
        the pattern must match exactly; without one, any query matches. ``times=N`` heals the
        fault after N requests. Returns the :class:`~fixtureweb.faults.Fault`, whose ``hits``
        counts the requests it answered. The newest matching fault wins.
        """
        return self.inject_fault(make_fault(url_or_path, fault, times=times, **params))

    def inject_fault(self, fault: Fault) -> Fault:
        """Add a prepared :class:`~fixtureweb.faults.Fault` (e.g. from ``parse_faults``)."""
        if fault.host is not None:
            slug = fault.host.removesuffix(HOST_SUFFIX)
            if slug == fault.host or slug not in self._outlets:
                raise ValueError(f"fault for {fault.host!r}: not an outlet of this fixture web; "
                                 f"use <slug>{HOST_SUFFIX} with one of {', '.join(self._outlets)}")
        return self._faults.add(fault)

    def clear_faults(self) -> None:
        """Remove every injected fault: all pages are served normally again."""
        self._faults.clear()

    @property
    def faults(self) -> list[Fault]:
        """The injected faults, oldest first (a copy)."""
        with self._faults.lock:
            return list(self._faults.faults)

    def load_faults(self, path: str | Path) -> list[Fault]:
        """Inject the faults listed in a YAML file (format: :func:`faults.parse_faults`)."""
        return [self.inject_fault(fault) for fault in read_fault_file(Path(path))]

    # -- used by the handler --------------------------------------------------------------

    def record(self, host: str, target: str, method: str) -> None:
        with self._lock:
            self._log.append((host, target, method))

    def control(self, method: str, target: str, body: bytes) -> Response:
        """A request to ``fixtureweb.localhost`` (see :mod:`fixtureweb.control`)."""
        return control(self, method, target, body)

    @property
    def stopping(self) -> threading.Event:
        """Set while the server stops; long-running faults watch it."""
        return self._stopping

    def fault_for(self, slug: str, host: str, target: str) -> Fault | None:
        """The fault answering this request (counted), or None; unknown outlets get none."""
        if slug not in self._outlets:
            return None
        return self._faults.take(host, target)

    def not_found_body(self, slug: str, host: str, target: str,
                       as_of: datetime | None = None) -> bytes:
        """The outlet's themed 404 page for ``target`` (as of ``as_of``, else the clock)."""
        site = self._site(slug, host, self._as_of if as_of is None else as_of)
        return site.render.not_found_page(target.partition("?")[0]).encode()

    def _site(self, slug: str, host: str, as_of: datetime | None) -> OutletSite:
        with self._lock:
            site = self._sites.get((slug, host, as_of))
            if site is None:
                site = OutletSite(self._outlets[slug], as_of, f"http://{host}/", self._env,
                                  multipage=self.multipage)
                self._sites[(slug, host, as_of)] = site
        return site

    def respond(self, slug: str, host: str, target: str,
                as_of: datetime | None = None) -> Response | None:
        """The response for ``target`` on outlet ``slug``; None when the slug is unknown.

        ``as_of``: the moment asked for by the request (``X-Pantau-As-Of``); None: the server's
        own clock (:attr:`as_of`).
        """
        if slug not in self._outlets:
            return None
        if target.partition("?")[0] == "/robots.txt" and slug in self._robots:
            return Response(200, TEXT, self._robots[slug].encode())
        if as_of is None:
            as_of = self._as_of
        key = (slug, host, target, as_of)
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return dataclasses.replace(cached, body=zlib.decompress(cached.body))
        response = self._site(slug, host, as_of).respond(target)
        if response.status == 200:
            packed = dataclasses.replace(response, body=zlib.compress(response.body, 1))
            with self._lock:
                self._cache[key] = packed
        return response

    def warm(self) -> int:
        """Render and cache every article page, feed, sitemap and robots.txt now (as of the
        current ``as_of``), so a benchmark measures the crawler, not page rendering.

        Returns the number of responses rendered. Needs a running server (URLs hold the port).
        """
        count = 0
        for slug, outlet in self._outlets.items():
            host = f"{slug}.localhost:{self.port}"
            site = self._site(slug, host, self._as_of)
            targets = ["/robots.txt", "/", outlet.feed_path, outlet.sitemap_path]
            targets += [a.path for a in site.articles]
            sitemap = site.respond(outlet.sitemap_path).body.decode()
            root = f"http://{host}"
            targets += [loc[len(root):] for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)
                        if loc.startswith(root) and loc.endswith(".xml")]
            for target in targets:
                self.respond(slug, host, target)
                count += 1
        log.info("fixture web: %d responses rendered and cached", count)
        return count
