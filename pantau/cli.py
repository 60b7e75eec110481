"""The ``pantau`` command. Each command is a few lines around a step or library function.

Global options (``--db``, ``--sources``, ``--allow-private-hosts``) come before the command.
Exit status 0 on success; on failure a one-line ``pantau: error: …`` on stderr and status 1
(2 for usage errors). ``PANTAU_DEBUG=1`` shows tracebacks of unexpected errors.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from core.errors import PantauError
from core.settings import Settings, resolve_settings
from pantau.cli_sources import sources
from pantau.output import FORMATS, emphasis, format_option, output_width, render

log = logging.getLogger("pantau")

EXAMPLE_QUERIES = [
    "SELECT source, count(*) AS articles FROM articles GROUP BY source ORDER BY source",
    "SELECT published_at_local, source, title FROM articles ORDER BY published_at DESC LIMIT 5",
    "SELECT rule, status, count(*) AS n FROM alerts GROUP BY ALL ORDER BY rule",
]


def _setup_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    # WARNING by default: what a command did is on stdout already; -v adds the step logs.
    logging.basicConfig(
        level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )


def _settings(ctx: click.Context) -> Settings:
    settings: Settings = ctx.obj
    return settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="PANTAU_DB",
    help="DuckDB warehouse file [default: data/pantau.duckdb; env PANTAU_DB]",
)
@click.option(
    "--sources",
    type=click.Path(path_type=Path),
    envvar="PANTAU_SOURCES",
    help="sources YAML file or folder [default: the repo's sources.yaml; env PANTAU_SOURCES]",
)
@click.option(
    "--allow-private-hosts",
    is_flag=True,
    default=None,
    help="allow crawling loopback/private addresses [env PANTAU_ALLOW_PRIVATE_HOSTS=1]",
)
@click.option("-v", "--verbose", count=True, help="more log output (-v info, -vv debug)")
@click.version_option(package_name="pantau")
@click.pass_context
def cli(
    ctx: click.Context,
    db: Path | None,
    sources: Path | None,
    allow_private_hosts: bool | None,
    verbose: int,
) -> None:
    """pantau: nightly monitoring of Indonesian news outlets.

    Crawl (Scrapy) -> extract (trafilatura + Indonesian rules) -> load (DuckDB) -> alerts.
    """
    _setup_logging(verbose)
    ctx.obj = resolve_settings(db=db, sources=sources, allow_private_hosts=allow_private_hosts)


# ---------------------------------------------------------------------------- extract


def _read_html(path: Path, limit: int) -> bytes:
    """The page's bytes (gunzipped), refused with a reason when pantau cannot read it."""
    from extract.limits import binary_reason, size_reason

    if not path.exists():
        raise PantauError(f"{path}: no such file")
    if path.is_dir():
        raise PantauError(f"{path}: is a folder; give HTML files")
    reason = size_reason(path.stat().st_size, limit)
    if reason:
        raise PantauError(f"{path}: {reason}")
    data = path.read_bytes()
    if path.suffix == ".gz" or data[:2] == b"\x1f\x8b":
        try:
            with gzip.open(path) as stream:
                data = stream.read(limit + 1)  # never more than the cap, whatever it unpacks to
        except (OSError, EOFError) as exc:
            raise PantauError(f"{path}: not a valid gzip file ({exc})") from None
        reason = size_reason(len(data), limit)
        if reason:
            raise PantauError(f"{path}: unpacked, {reason}")
    if not data.strip():
        raise PantauError(f"{path}: the file is empty; give a saved HTML page")
    reason = binary_reason(data)
    if reason:
        raise PantauError(f"{path}: {reason}")
    return data


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--url", help="the page's address (with a single FILE)")
@click.option("--json", "as_json", is_flag=True, help="print one contract JSON object per file")
def extract(files: tuple[Path, ...], url: str | None, as_json: bool) -> None:
    """Extract saved HTML pages (plain or .gz)."""
    from extract import extract_article
    from spiders.settings import DOWNLOAD_MAXSIZE

    if url and len(files) > 1:
        raise click.UsageError("--url goes with a single FILE")
    for path in files:
        html = _read_html(path, DOWNLOAD_MAXSIZE)
        page_url = url or path.resolve().as_uri()
        article = extract_article(html, page_url, max_bytes=DOWNLOAD_MAXSIZE)
        for problem in article.problems:
            click.echo(f"pantau: warning: {path}: {problem}", err=True)
        data = article.to_dict()
        if as_json:
            click.echo(json.dumps(data, ensure_ascii=False))
            continue
        click.echo(f"== {path}")
        for key in ("page_kind", "title", "authors", "editors", "published_at", "section",
                    "language", "dateline", "canonical_url"):
            click.echo(f"{key}: {data.get(key)}")
        click.echo("")
        click.echo(data.get("text") or "")


# ---------------------------------------------------------------------------- pipeline


def _run_id(run_id: str | None) -> str:
    from pantau.steps import new_run_id

    return run_id or new_run_id()


def _print_crawl(run_id: str, stats: list[dict[str, Any]], fmt: str = "table") -> None:
    rows = [
        [s.get("source"), s.get("requests", 0), s.get("pages", 0), s.get("errors", 0),
         s.get("crawl_error") or ""]
        for s in sorted(stats, key=lambda s: str(s.get("source")))
    ]
    if fmt == "table":
        click.echo(f"run {run_id}")
    columns = ["source", "requests", "pages", "errors", "crawl error"]
    click.echo(render(columns, rows, fmt))


def _crawl_progress() -> tuple[Callable[[dict[str, Any], int, int], None] | None,
                               Callable[[], None]]:
    """Per-outlet crawl progress on stderr when it is a terminal: a bar over the outlets and
    one line per finished outlet."""
    if not sys.stderr.isatty():
        return None, lambda: None
    from rich.console import Console
    from rich.progress import Progress

    bar = Progress(console=Console(stderr=True), transient=True)
    task = bar.add_task("crawling", total=None)
    bar.start()
    stopped = False

    def stop() -> None:
        nonlocal stopped
        if not stopped:
            stopped = True
            bar.stop()

    def update(stats: dict[str, Any], done: int, total: int) -> None:
        error = stats.get("crawl_error")
        bar.console.print(
            f"{stats.get('source')}: {stats.get('pages', 0)} pages, "
            f"{stats.get('errors', 0)} errors" + (f", failed: {error}" if error else ""),
            highlight=False, markup=False,
        )
        bar.update(task, completed=done, total=total,
                   description=f"crawling ({done}/{total} outlets)")

    return update, stop


@cli.command()
@click.option("--source", "names", multiple=True, help="only this outlet (repeatable)")
@click.option("--run-id", help="staging run id [default: manual__<now>]")
@format_option()
@click.pass_context
def crawl(ctx: click.Context, names: tuple[str, ...], run_id: str | None, fmt: str) -> None:
    """Discover and fetch new pages into staging."""
    from pantau.steps import crawl_step

    run_id = _run_id(run_id)
    update, stop = _crawl_progress()
    try:
        stats = crawl_step(_settings(ctx), run_id, names, progress=update)
    finally:
        stop()
    _print_crawl(run_id, stats, fmt)
    _fail_if_no_crawl_worked(stats)


def _fail_if_no_crawl_worked(stats: list[dict[str, Any]]) -> None:
    from pantau.steps import crawl_failure

    if (error := crawl_failure(stats)) is not None:
        raise error


def _progress(
    label: str = "extracting",
) -> tuple[Callable[[int, int], None] | None, Callable[[], None]]:
    """A progress bar on stderr for long work when it is a terminal."""
    if not sys.stderr.isatty():
        return None, lambda: None
    from rich.console import Console
    from rich.progress import Progress

    bar = Progress(console=Console(stderr=True), transient=True)
    task = bar.add_task(label, total=None)
    bar.start()

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    return update, bar.stop


@cli.command()
@click.option(
    "--run-id", "run_ids", multiple=True, help="run to load [default: every staged run]"
)
@click.option("--workers", type=click.IntRange(1), help="extraction processes [default: all cores]")
@format_option()
@click.pass_context
def load(ctx: click.Context, run_ids: tuple[str, ...], workers: int | None, fmt: str) -> None:
    """Load staged pages (extracting them) into the warehouse."""
    from pantau.steps import load_step
    from staging import list_runs

    settings = _settings(ctx)
    ids = list(run_ids) or [_staged_run_id(p) for p in list_runs(settings.staging)]
    if not ids:
        if fmt != "table":
            click.echo(render(["run_id", *LOAD_COLUMNS], [], fmt))
            return
        click.echo(f"nothing staged in {settings.staging}")
        return
    for rid in ids:
        update, stop = _progress()
        try:
            summary = load_step(settings, rid, workers=workers, progress=update)
        finally:
            stop()
        _print_load(summary, fmt)


def _staged_run_id(folder: Path) -> str:
    """The run id recorded in a staging folder's stats files (folder names are sanitised)."""
    from staging import read_stats

    for stats_file in sorted(folder.glob("*.stats.json")):
        rid = read_stats(stats_file).get("run_id")
        if rid:
            return str(rid)
    return folder.name


LOAD_COLUMNS = ["source", "pages", "new", "updated", "non-articles", "errors"]


def _print_load(summary: Any, fmt: str = "table") -> None:
    rows = [
        [o.source, o.pages, o.new_articles, o.updated_articles, o.non_articles, o.errors]
        for o in summary.outlets
    ]
    columns = LOAD_COLUMNS
    if fmt != "table":
        click.echo(render(["run_id", *columns], [[summary.run_id, *r] for r in rows], fmt))
        return
    click.echo(f"run {summary.run_id}")
    if rows:
        click.echo(render(columns, rows))
    if summary.already_loaded:
        click.echo(f"already loaded, unchanged: {', '.join(summary.already_loaded)}")


@cli.command()
@click.option("--workers", type=click.IntRange(1), help="extraction processes [default: all cores]")
@click.pass_context
def reprocess(ctx: click.Context, workers: int | None) -> None:
    """Re-extract archived raw pages with the current extractor (changed articles get versions)."""
    from pantau.steps import reprocess_step

    update, stop = _progress("re-extracting")
    try:
        summary = reprocess_step(_settings(ctx), workers=workers, progress=update)
    finally:
        stop()
    click.echo(
        f"{summary.pages} archived pages re-extracted: {summary.articles_changed} articles "
        f"changed (new versions), {summary.articles_added} added"
    )


@cli.command()
@click.option("--after-days", type=click.FloatRange(0), default=None,
              help="compact loaded runs crawled at least this many days ago "
                   "[default: 7; env PANTAU_COMPACT_AFTER_DAYS]")
@click.pass_context
def compact(ctx: click.Context, after_days: float | None) -> None:
    """Fold old loaded runs into one raw archive per ISO week (staging/archive/)."""
    from pantau.maintenance import compact_archive

    summary = compact_archive(_settings(ctx), after_days=after_days)
    if not summary.runs_compacted:
        click.echo(f"nothing to compact ({summary.runs_too_recent} runs too recent, "
                   f"{len(summary.runs_kept_unloaded)} not loaded, "
                   f"{len(summary.runs_skipped)} skipped)")
        return
    saved = summary.bytes_before - summary.bytes_after
    click.echo(f"{len(summary.runs_compacted)} runs compacted into {', '.join(summary.weeks)}: "
               f"{summary.files_before} files, {summary.bytes_before} bytes -> "
               f"{summary.files_after} files, {summary.bytes_after} bytes ({saved} saved); "
               f"{summary.duplicates_dropped} identical re-fetches dropped, "
               f"{summary.archive_paths_moved} warehouse archive paths moved")


def _print_alerts(summary: Any, fmt: str = "table") -> None:
    """The alerts summary: one row per rule and, in a table, a total."""
    columns = ["rule", "matched", "sent", "failed", "pending"]
    rows = [[name, c.matched, c.sent, c.failed, c.pending] for name, c in summary.rules.items()]
    if fmt == "table":
        t = summary.total
        rows.append(["total", t.matched, t.sent, t.failed, t.pending])
    click.echo(render(columns, rows, fmt, count=False))


def _with_rules(settings: Settings, rules: Path | None) -> Settings:
    if not rules:
        return settings
    return resolve_settings(
        db=settings.db, sources=settings.sources, rules=rules,
        allow_private_hosts=settings.allow_private_hosts,
    )


RULES_OPTION = click.option(
    "--rules", type=click.Path(dir_okay=False, path_type=Path),
    help="rules YAML [default: the repo's rules.yaml; env PANTAU_RULES]",
)


@cli.group(invoke_without_command=True)
@RULES_OPTION
@format_option()
@click.pass_context
def alerts(ctx: click.Context, rules: Path | None, fmt: str) -> None:
    """Match rules against not-yet-alerted articles and deliver (or: check, list).

    --rules goes before or after the subcommand: `alerts --rules F check X` or
    `alerts check X --rules F`.
    """
    ctx.obj = _with_rules(_settings(ctx), rules)
    if ctx.invoked_subcommand is None:
        from pantau.steps import alerts_step

        _print_alerts(alerts_step(ctx.obj), fmt)


def _query_error(exc: Exception) -> PantauError:
    return PantauError(f"query: {exc}")


@alerts.command("check")
@click.argument("rule_or_query")
@click.option("--days", type=click.IntRange(0), default=7, show_default=True,
              help="only articles of the N days up to the newest stored article (0: all)")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True)
@RULES_OPTION
@format_option()
@click.pass_context
def alerts_check(
    ctx: click.Context, rule_or_query: str, days: int, limit: int, rules: Path | None, fmt: str
) -> None:
    """Dry run: which stored articles a rule (by name) or a query matches; sends nothing.

    The window is counted back from the newest article in the warehouse (so a warehouse
    loaded some days ago still shows its articles); the window used is said on stderr.
    """
    from alerts.check import check_query, check_window
    from alerts.rules import load_rules_file
    from warehouse.db import connect_reader

    settings = _with_rules(_settings(ctx), rules)
    ruleset = load_rules_file(settings.rules) if settings.rules.exists() else None
    con = connect_reader(settings.db)
    try:
        window = check_window(con, days or None)
        hits = check_query(con, rule_or_query, window.days, rules=ruleset, now=window.end,
                           limit=limit)
    finally:
        con.close()
    click.echo(f"{window.describe()}; {len(hits)} matching article"
               f"{'s' if len(hits) != 1 else ''}" + (" (--limit reached)"
                                                     if len(hits) >= limit else ""), err=True)
    if fmt == "table":
        _print_hits(hits, [" (alerted)" if h.alerted else "" for h in hits])
        return
    rows = [[h.published_at, h.source, h.title, emphasis(h.snippet, False),
             h.alerted if fmt == "json" else ("yes" if h.alerted else ""), h.url]
            for h in hits]
    click.echo(render(["published_at", "source", "title", "snippet", "alerted", "url"], rows,
                      fmt))


def _print_hits(hits: list[Any], notes: list[str] | None = None) -> None:
    """Matched articles for people: date, outlet and title, then the snippet wrapped to the
    width (matched words bold on a terminal), then the address; a count at the end."""
    import textwrap

    tty = sys.stdout.isatty()
    width = max(40, output_width())
    for i, h in enumerate(hits):
        note = notes[i] if notes else ""
        click.echo(f"{h.published_at or '?':25}  {h.source:12}  {h.title}{note}")
        for line in textwrap.wrap(h.snippet, width - 4, break_on_hyphens=False):
            click.echo(f"    {emphasis(line, tty)}")
        click.echo(f"    {h.url}")
    click.echo(f"({len(hits)} result{'s' if len(hits) != 1 else ''})")


@alerts.command("list")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True)
@click.option("--rule", help="only this rule")
@click.option("--status", type=click.Choice(["pending", "sent", "failed"]))
@RULES_OPTION
@format_option()
@click.pass_context
def alerts_list(
    ctx: click.Context, limit: int, rule: str | None, status: str | None,
    rules: Path | None, fmt: str,
) -> None:
    """Recent alerts with their delivery status."""
    from alerts.listing import recent_alerts
    from warehouse.db import connect_reader

    con = connect_reader(_with_rules(_settings(ctx), rules).db)
    try:
        found = recent_alerts(con, limit, rule=rule, status=status)
    finally:
        con.close()
    rows = [[a.created_at, a.rule, a.channel, a.status, a.attempts, a.source, a.title,
             a.last_error] for a in found]
    click.echo(render(["created_at", "rule", "channel", "status", "attempts", "source", "title",
                       "last_error"], rows, fmt))


def _print_run(summary: Any, fmt: str = "table") -> None:
    columns = ["source", "requests", "bytes", "statuses", "new", "updated", "errors",
               "short", "undated", "health"]
    rows = [
        [h.source, h.requests, h.bytes, h.statuses, h.new, h.updated, h.errors,
         h.short_texts, h.missing_dates, "; ".join(h.flags) or "ok"]
        for h in summary.health
    ]
    if fmt != "table":
        errors = {h.source: h.crawl_error for h in summary.health}
        click.echo(render(["run_id", *columns, "crawl_error"],
                          [[summary.run_id, *r, errors[r[0]]] for r in rows], fmt))
        return
    click.echo(f"run {summary.run_id}")
    click.echo(render(columns, rows))
    failed = [[h.source, h.crawl_error] for h in summary.health if h.crawl_error]
    if failed:  # in full, wrapped: the user needs to read it
        click.echo(render(["source", "crawl error"], failed, count=False))
    click.echo("")
    _print_alerts(summary.alerts)


@cli.command()
@click.option("--source", "names", multiple=True, help="only this outlet (repeatable)")
@click.option("--run-id", help="run id [default: manual__<now>]")
@click.option("--workers", type=click.IntRange(1), help="extraction processes [default: all cores]")
@format_option()
@click.pass_context
def run(
    ctx: click.Context, names: tuple[str, ...], run_id: str | None, workers: int | None,
    fmt: str,
) -> None:
    """crawl -> load -> alerts: what the nightly DAG does."""
    from pantau.steps import run_step

    update, stop = _crawl_progress()
    try:
        summary = run_step(_settings(ctx), _run_id(run_id), names, workers=workers,
                           progress=update, on_crawled=stop)
    finally:
        stop()
    _print_run(summary, fmt)
    _fail_if_no_crawl_worked(summary.crawl)


def _program_name() -> str:
    """How the user can call pantau again: `.venv/bin/pantau` when that is what ran."""
    argv0 = Path(sys.argv[0])
    if argv0.name != "pantau" or argv0.parent == Path("."):
        return "pantau"
    if argv0.is_absolute():
        try:
            return str(argv0.relative_to(Path.cwd()))
        except ValueError:
            return str(argv0)
    return str(argv0)


@cli.command()
@click.option("--keep-serving", is_flag=True, help="keep the fixture web up until Ctrl-C")
@click.pass_context
def demo(ctx: click.Context, keep_serving: bool) -> None:
    """Serve the offline fixture web on loopback and run two nights against it.

    The demo crawls the fixture web's own outlets (not --sources) on port 18765 (a busy port is
    an error: article URLs contain it); everything else (--db, rules, outbox) is as for
    `pantau run`.
    """
    from pantau.demo import demo_settings, run_demo, start_fixture_web

    base = _settings(ctx)
    web = start_fixture_web()
    with web:
        settings = demo_settings(base, web)
        click.echo(f"fixture web: {', '.join(web.base_url(o) for o in web.outlets)}")
        bar: list[Any] = [None, lambda: None]  # the current night's (update, stop)

        def on_night(moment: datetime) -> None:
            click.echo(f"\n== night of {moment:%Y-%m-%d %H:%M} WIB (simulated)")
            bar[:] = _crawl_progress()

        def progress(stats: dict[str, Any], done: int, total: int) -> None:
            if bar[0] is not None:
                bar[0](stats, done, total)

        def report(night: Any) -> None:
            bar[1]()
            _print_run(night.summary)

        try:
            run_demo(settings, on_night=on_night, progress=progress, report=report)
        finally:
            bar[1]()
        click.echo(f"\nwarehouse: {settings.db}   outbox: {settings.outbox}")
        click.echo("try:")
        prog = _program_name()
        db_opt = f"--db {settings.db} " if settings.db != Path("data/pantau.duckdb") else ""
        for q in EXAMPLE_QUERIES:
            click.echo(f"  {prog} {db_opt}sql \"{q}\"")
        click.echo(f"  {prog} {db_opt}search \"banjir -Bekasi\"")
        click.echo(f"  {prog} {db_opt}alerts check banjir_jabodetabek")
        if keep_serving:
            click.echo("fixture web still serving; Ctrl-C to stop")
            try:
                while True:
                    import time

                    time.sleep(3600)
            except KeyboardInterrupt:
                pass


# ---------------------------------------------------------------------------- queries


@cli.command()
@click.argument("query")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--timeout", type=click.FloatRange(0), default=20.0, show_default=True,
              help="seconds the query may run (0: no limit)")
@click.option("--memory-limit", default="2GB", show_default=True,
              help="DuckDB memory limit for the query, e.g. 500MB")
@click.option("--max-rows", type=click.IntRange(0), default=None,
              help="rows printed at most (0: all, streamed); default 10,000 for tables, all "
              "for csv/json (streamed: a script's export is never cut short)")
@click.option("--snapshot", is_flag=True,
              help="query a private copy of the warehouse: a long query keeps no load waiting")
@click.pass_context
def sql(ctx: click.Context, query: str, fmt: str, timeout: float, memory_limit: str,
        max_rows: int | None, snapshot: bool) -> None:
    """Run SQL read-only against the warehouse (with limits; see docs/failure.md)."""
    from pantau.sql_output import print_query

    if max_rows is None:
        max_rows = 10_000 if fmt == "table" else 0
    print_query(_settings(ctx).db, query, fmt, timeout=timeout, memory_limit=memory_limit,
                max_rows=max_rows, snapshot=snapshot)


def _parse_day(value: str | None, name: str) -> datetime | None:
    if not value:
        return None
    try:
        day = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date like 2026-11-20", param_hint=name
        ) from None
    if day.tzinfo is None:
        from zoneinfo import ZoneInfo

        day = day.replace(tzinfo=ZoneInfo("Asia/Jakarta"))
    return day


def _parse_query(text: str, settings: Settings) -> Any:
    """A query of the query language (``@alias`` from the rules file, as in rules), or a
    one-line ``query: … at N`` error."""
    from alerts.rules import load_rules_file
    from query import QueryError, parse_query

    aliases = load_rules_file(settings.rules).aliases if settings.rules.exists() else None
    try:
        return parse_query(text, aliases)
    except QueryError as exc:
        raise _query_error(exc) from None


@cli.command()
@click.argument("query")
@click.option("--limit", type=click.IntRange(1), default=10, show_default=True)
@click.option("--source", "names", multiple=True, help="only this outlet (repeatable)")
@click.option("--since", help="published on or after this date (YYYY-MM-DD, WIB)")
@click.option("--until", help="published before this date (YYYY-MM-DD, WIB)")
@format_option()
@click.pass_context
def search(
    ctx: click.Context,
    query: str,
    limit: int,
    names: tuple[str, ...],
    since: str | None,
    until: str | None,
    fmt: str,
) -> None:
    """Ranked search over article titles and texts, in the query language.

    Every word is required; OR, -word (or NOT), "phrases", prefix*, ~stem and ( ) as in
    alert rules, e.g. 'banjir -Bekasi', 'banjir OR gempa', '"banjir bandang"', '~banjir'.
    """
    from warehouse.db import connect_reader
    from warehouse.search import search_articles

    node = _parse_query(query, _settings(ctx))
    con = connect_reader(_settings(ctx).db)
    try:
        hits = search_articles(
            con, node, limit=limit, sources=list(names) or None,
            since=_parse_day(since, "--since"), until=_parse_day(until, "--until"),
        )
    finally:
        con.close()
    if fmt != "table":
        columns = ["source", "published_at", "title", "snippet", "url", "score"]
        rows = [[h.source, h.published_at, h.title, emphasis(h.snippet, False), h.url,
                 round(h.score, 4)] for h in hits]
        click.echo(render(columns, rows, fmt))
        return
    _print_hits(hits)


@cli.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv", "jsonl"]),
              default="parquet", show_default=True)
@click.option("--source", "names", multiple=True, help="only this outlet (repeatable)")
@click.option("--since", help="published on or after this date (YYYY-MM-DD, WIB)")
@click.option("--until", help="published before this date (YYYY-MM-DD, WIB)")
@click.option("--query", "query", help="only articles matching this query (as `pantau search`)")
@click.pass_context
def export(
    ctx: click.Context,
    out: Path,
    fmt: str,
    names: tuple[str, ...],
    since: str | None,
    until: str | None,
    query: str | None,
) -> None:
    """Export articles to a Parquet, CSV or JSON Lines file."""
    from warehouse.db import connect_reader
    from warehouse.export import export_articles

    node = _parse_query(query, _settings(ctx)) if query is not None else None
    con = connect_reader(_settings(ctx).db, sandbox=False)
    try:
        count = export_articles(
            con, out, fmt, sources=list(names) or None,
            since=_parse_day(since, "--since"), until=_parse_day(until, "--until"), query=node,
        )
    finally:
        con.close()
    click.echo(f"{count} articles written to {out}")


cli.add_command(sources)  # `pantau sources check|add` (pantau/cli_sources.py)


def main() -> None:
    """Console entry point: one-line errors, no tracebacks for expected failures."""
    try:
        cli.main(standalone_mode=False, prog_name="pantau")
    except click.exceptions.Abort:
        click.echo("pantau: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except PantauError as exc:
        click.echo(f"pantau: error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("pantau: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("PANTAU_DEBUG"):
            raise
        click.echo(
            f"pantau: error: unexpected {type(exc).__name__}: {exc} "
            "(set PANTAU_DEBUG=1 for the traceback)",
            err=True,
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
