"""The Starlette application of ``pantau serve``.

Requests read through one read-only, sandboxed warehouse connection
(:func:`warehouse.db.connect_reader`), shared by a burst of requests and closed after
:data:`pantau.web.pool.IDLE_SECONDS` without one (:mod:`pantau.web.pool`), so the nightly load
(the one writer) is never kept waiting longer than that. Only GET and HEAD are answered;
every other method gets 405. With a token (required off loopback), every request must carry it:
``Authorization: Bearer TOKEN``, or ``?token=TOKEN`` once (a cookie then keeps it).
"""

from __future__ import annotations

import hmac
import logging
import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractContextManager, asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import duckdb
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from alerts.rules import RulesFile, load_rules_file
from core.errors import PantauError
from pantau.web import charts, views
from pantau.web.feeds import rule_feed
from pantau.web.params import MAX_LIMIT, BadRequest, Filters, filters_from, parse_int
from pantau.web.pool import IDLE_SECONDS, ReaderPool
from pantau.web.textdiff import changed, word_diff
from warehouse.db import WarehouseBusy, connect_reader

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
TOKEN_COOKIE = "pantau_token"
WAIT_SECONDS = 5.0  # for a warehouse busy with the nightly load, then 503


@dataclass(frozen=True)
class ServeConfig:
    db: Path
    rules: Path
    token: str | None = None
    idle_seconds: float = IDLE_SECONDS  # the shared connection closes after this long unused


class ReadOnlyGuard:
    """Answers only GET and HEAD (405 otherwise), and checks the token when there is one."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] not in ("GET", "HEAD"):
            response: Response = PlainTextResponse(
                "pantau serve is read-only: only GET and HEAD are answered\n", status_code=405,
                headers={"Allow": "GET, HEAD"})
            await response(scope, receive, send)
            return
        if self.token is not None:
            request = Request(scope)
            given = _given_token(request)
            if given is None or not hmac.compare_digest(given.encode(), self.token.encode()):
                response = PlainTextResponse(
                    "a token is required: send 'Authorization: Bearer <PANTAU_SERVE_TOKEN>' or "
                    "open the page once with ?token=<PANTAU_SERVE_TOKEN>\n", status_code=401,
                    headers={"WWW-Authenticate": "Bearer"})
                await response(scope, receive, send)
                return
            if request.query_params.get("token") and TOKEN_COOKIE not in request.cookies:
                await self.app(scope, receive, _with_cookie(send, self.token))
                return
        await self.app(scope, receive, send)


def _given_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    cookie = request.cookies.get(TOKEN_COOKIE)
    return request.query_params.get("token") or (unquote(cookie) if cookie else None)


def _with_cookie(send: Send, token: str) -> Send:
    async def wrapped(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            cookie = f"{TOKEN_COOKIE}={quote(token, safe='')}; Path=/; HttpOnly; SameSite=Strict"
            message.setdefault("headers", []).append((b"set-cookie", cookie.encode()))
        await send(message)
    return wrapped  # type: ignore[return-value]


def _marked(snippet: str) -> Markup:
    """A search snippet (matched words in ``**bold**``) as HTML with ``<mark>``."""
    parts = str(escape(snippet)).split("**")
    return Markup("".join(f"<mark>{p}</mark>" if i % 2 else p for i, p in enumerate(parts)))


class Desk:
    """The pages; one instance per app, holding the configuration and the templates."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self.env = Environment(loader=PackageLoader("pantau.web", "templates"),
                               autoescape=select_autoescape(["html", "xml"]))
        self.env.filters["marked"] = _marked
        self.env.globals["colour"] = charts.colour
        self._rules: tuple[float, RulesFile | None, str | None] | None = None
        self.pool = ReaderPool(config.db, WAIT_SECONDS, config.idle_seconds)

    # -- helpers ------------------------------------------------------------------------------
    def connection(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        return self.pool.reader()

    @contextmanager
    def own_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection of its own, without the sandbox (for COPY to a file)."""
        with self.pool.exclusive():
            con = connect_reader(self.config.db, wait_seconds=WAIT_SECONDS, sandbox=False)
            try:
                yield con
            finally:
                con.close()

    def rules(self) -> tuple[RulesFile | None, str | None]:
        """The rules file (reloaded when it changes) and the error that stops it loading."""
        path = self.config.rules
        try:
            mtime = path.stat().st_mtime
        except OSError:
            return None, None
        if self._rules is None or self._rules[0] != mtime:
            try:
                self._rules = (mtime, load_rules_file(path), None)
            except PantauError as exc:
                self._rules = (mtime, None, str(exc))
        return self._rules[1], self._rules[2]

    def aliases(self) -> dict[str, Any] | None:
        rules, _ = self.rules()
        return rules.aliases if rules else None

    def page(self, request: Request, template: str, status: int = 200,
             **context: Any) -> HTMLResponse:
        html = self.env.get_template(template).render(request=request, **context)
        return HTMLResponse(html, status_code=status)

    def filters(self, request: Request, con: duckdb.DuckDBPyConnection,
                outlets: set[str] | None = None) -> Filters:
        multi = {k: request.query_params.getlist(k) for k in ("outlet", "section")}
        known = outlets if outlets is not None else views.known_outlets(con)
        return filters_from(request.query_params, multi, known)

    # -- pages --------------------------------------------------------------------------------
    def search(self, request: Request) -> Response:
        limit = parse_int(request.query_params.get("limit", ""), "limit", 50, 1, MAX_LIMIT)
        with self.connection() as con:
            outlets = sorted(views.known_outlets(con))
            filters = self.filters(request, con, set(outlets))
            node = filters.node(self.aliases())
            groups = views.search_stories(con, node, filters, limit) if node else []
        return self.page(request, "search.html", filters=filters, groups=groups, limit=limit,
                         outlets=outlets, hits=sum(len(g.hits) for g in groups))

    def download(self, request: Request) -> Response:
        from warehouse.export import export_articles

        fmt = request.path_params["fmt"]
        if fmt not in ("csv", "parquet"):
            raise BadRequest("download: csv or parquet")
        # COPY writes a file: this connection is read-only but not sandboxed; only pantau's own
        # SQL runs on it (the user's query is parsed into the query language, never SQL).
        folder = tempfile.mkdtemp(prefix="pantau-serve-")
        out = Path(folder) / f"articles.{fmt}"
        try:
            with self.own_connection() as con:
                filters = self.filters(request, con)
                export_articles(con, out, fmt, sources=list(filters.outlets) or None,
                                since=filters.since_at, until=filters.until_at,
                                query=filters.node(self.aliases()),
                                sections=list(filters.sections) or None,
                                language=filters.language)
        except BaseException:
            _remove(folder)
            raise
        media = "text/csv" if fmt == "csv" else "application/vnd.apache.parquet"
        return FileResponse(out, media_type=media, filename=f"pantau-articles.{fmt}",
                            background=BackgroundTask(_remove, folder))

    def attention(self, request: Request) -> Response:
        with self.connection() as con:
            outlets = sorted(views.known_outlets(con))
            filters = self.filters(request, con, set(outlets))
            data = views.attention(con, filters.node(self.aliases()), filters)
        chart = charts.stacked_bars(data.days, data.outlets, data.counts,
                                    label=f"articles per day for {filters.q or 'all articles'}")
        return self.page(request, "attention.html", filters=filters, data=data, chart=chart,
                         outlets=outlets)

    def article(self, request: Request) -> Response:
        article_id = request.path_params["article_id"]
        if len(article_id) > 128:
            raise BadRequest("article id: too long")
        with self.connection() as con:
            found = views.article_page(con, article_id)
        if found is None:
            return self.page(request, "error.html", 404, title="No such article",
                             message=f"no article has the id {article_id!r}")
        diffs = [
            (older, newer, word_diff(older.text, newer.text), changed(older.text, newer.text),
             word_diff(older.title or "", newer.title or ""))
            for older, newer in zip(found.versions, found.versions[1:], strict=False)
        ]
        return self.page(request, "article.html", a=found.article, found=found,
                         diffs=list(reversed(diffs)))

    def outlets(self, request: Request) -> Response:
        with self.connection() as con:
            rows = views.outlet_rows(con)
        sparks = {r.name: charts.sparkline([n for _, n in r.nightly]) for r in rows}
        return self.page(request, "outlets.html", rows=rows, sparks=sparks)

    def alerts(self, request: Request) -> Response:
        rules, error = self.rules()
        with self.connection() as con:
            counts = views.status_counts(con)
            recent = {r.name: views.rule_matches(con, r.name, 10) for r in (rules.rules
                                                                             if rules else [])}
        return self.page(request, "alerts.html", rules=rules.rules if rules else [],
                         error=error, counts=counts, recent=recent, path=self.config.rules)

    def check(self, request: Request) -> Response:
        from alerts.check import check_query, check_window

        q = (request.query_params.get("q") or "").strip()
        days = parse_int(request.query_params.get("days", ""), "days", 7, 0, 36500)
        rules, _ = self.rules()
        hits: list[Any] = []
        window = None
        if q:
            if len(q) > 1000:
                raise BadRequest("q: the query is longer than 1000 characters")
            with self.connection() as con:
                window = check_window(con, days or None)
                try:
                    hits = check_query(con, q, days or None, rules=rules, now=window.end,
                                       limit=200)
                except PantauError as exc:
                    raise BadRequest(str(exc)) from None
        return self.page(request, "check.html", q=q, days=days, hits=hits,
                         window=window.describe() if window else "")

    def feed(self, request: Request) -> Response:
        name = request.path_params["rule"]
        rules, _ = self.rules()
        rule = next((r for r in (rules.rules if rules else []) if r.name == name), None)
        if rule is None:
            return PlainTextResponse(f"no rule is named {name[:64]!r}\n", status_code=404)
        with self.connection() as con:
            matches = views.rule_matches(con, rule.name, 50)
        base = str(request.base_url).rstrip("/")
        return Response(rule_feed(rule, matches, base),
                        media_type="application/atom+xml; charset=utf-8")


def _remove(folder: str) -> None:
    for child in Path(folder).iterdir():
        child.unlink(missing_ok=True)
    os.rmdir(folder)


def _errors(handler: Any) -> Any:
    """Answer a bad parameter with 400 and a busy warehouse with 503, as pages."""
    def endpoint(request: Request) -> Response:
        desk: Desk = request.app.state.desk
        try:
            return handler(desk, request)  # type: ignore[no-any-return]
        except BadRequest as exc:
            return desk.page(request, "error.html", 400, title="Bad request", message=str(exc))
        except WarehouseBusy as exc:
            return desk.page(request, "error.html", 503, title="Warehouse busy",
                             message=str(exc))
    return endpoint


def create_app(config: ServeConfig) -> Starlette:
    """The web app on ``config.db`` (read-only)."""
    desk = Desk(config)
    routes = [
        Route("/", lambda request: RedirectResponse("/search", status_code=302)),
        Route("/search", _errors(Desk.search)),
        Route("/search.{fmt}", _errors(Desk.download)),
        Route("/attention", _errors(Desk.attention)),
        Route("/article/{article_id}", _errors(Desk.article)),
        Route("/outlets", _errors(Desk.outlets)),
        Route("/alerts", _errors(Desk.alerts)),
        Route("/alerts/check", _errors(Desk.check)),
        Route("/feeds/{rule}.atom", _errors(Desk.feed)),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            desk.pool.close()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.desk = desk
    app.add_middleware(ReadOnlyGuard, token=config.token)  # type: ignore[arg-type]
    return app
