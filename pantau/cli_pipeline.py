"""``pantau crawl|load|reprocess|compact|run|demo``: the nightly steps from the command line."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from pantau.cli_context import print_alerts_summary, settings_of
from pantau.output import format_option, render

log = logging.getLogger("pantau")

EXAMPLE_QUERIES = [
    "SELECT source, count(*) AS articles FROM articles GROUP BY source ORDER BY source",
    "SELECT published_at_local, source, title FROM articles ORDER BY published_at DESC LIMIT 5",
    "SELECT rule, status, count(*) AS n FROM alerts GROUP BY ALL ORDER BY rule",
]


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


@click.command()
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
        stats = crawl_step(settings_of(ctx), run_id, names, progress=update)
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


@click.command()
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

    settings = settings_of(ctx)
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


@click.command()
@click.option("--workers", type=click.IntRange(1), help="extraction processes [default: all cores]")
@click.pass_context
def reprocess(ctx: click.Context, workers: int | None) -> None:
    """Re-extract archived raw pages with the current extractor (changed articles get versions)."""
    from pantau.steps import reprocess_step

    update, stop = _progress("re-extracting")
    try:
        summary = reprocess_step(settings_of(ctx), workers=workers, progress=update)
    finally:
        stop()
    click.echo(
        f"{summary.pages} archived pages re-extracted: {summary.articles_changed} articles "
        f"changed (new versions), {summary.articles_added} added"
    )


@click.command()
@click.option("--after-days", type=click.FloatRange(0), default=None,
              help="compact loaded runs crawled at least this many days ago "
                   "[default: 7; env PANTAU_COMPACT_AFTER_DAYS]")
@click.pass_context
def compact(ctx: click.Context, after_days: float | None) -> None:
    """Fold old loaded runs into one raw archive per ISO week (staging/archive/)."""
    from pantau.maintenance import compact_archive

    summary = compact_archive(settings_of(ctx), after_days=after_days)
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
    print_alerts_summary(summary.alerts)


@click.command()
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
        summary = run_step(settings_of(ctx), _run_id(run_id), names, workers=workers,
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


@click.command()
@click.option("--keep-serving", is_flag=True, help="keep the fixture web up until Ctrl-C")
@click.pass_context
def demo(ctx: click.Context, keep_serving: bool) -> None:
    """Serve the offline fixture web on loopback and run two nights against it.

    The demo crawls the fixture web's own outlets (not --sources) on port 18765 (a busy port is
    an error: article URLs contain it); everything else (--db, rules, outbox) is as for
    `pantau run`.
    """
    from pantau.demo import demo_settings, run_demo, start_fixture_web

    base = settings_of(ctx)
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
