"""``pantau sources``: check the configured outlets, propose entries for new ones.

The logic lives in :mod:`pantau.sources_check` and :mod:`pantau.sources_add`; this module only
parses options and prints.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from core.errors import PantauError
from core.settings import Settings
from pantau.output import render

if TYPE_CHECKING:
    from pantau.fetch import Fetcher


def _fetcher_and_now(settings: Settings) -> tuple[Fetcher, datetime | None]:
    """A :class:`pantau.fetch.Fetcher` with the crawler's settings; ``PANTAU_AS_OF`` (tests and
    simulations against the fixture web) is sent as ``X-Pantau-As-Of`` and used as "now"."""
    from pantau.fetch import Fetcher
    from spiders.middlewares.as_of import AS_OF_HEADER

    now = settings.as_of
    headers = {AS_OF_HEADER: now.isoformat()} if now is not None else {}
    return Fetcher(settings.allow_private_hosts, extra_headers=headers), now


@click.group()
def sources() -> None:
    """Check the outlets in sources.yaml, or propose an entry for a new one."""


@sources.command("check")
@click.argument("names", nargs=-1)
@click.option("--samples", type=click.IntRange(0), default=3, show_default=True,
              help="articles fetched and extracted per outlet")
@click.option("--workers", type=click.IntRange(1), default=4, show_default=True,
              help="outlets checked at the same time (each one request after the other)")
@click.option("--json", "as_json", is_flag=True, help="print the full findings as JSON")
@click.option("--details", is_flag=True,
              help="print every document and sample field, not only the summary table")
@click.option("-q", "--quiet", is_flag=True, help="no progress lines on stderr")
@click.option("--record", is_flag=True,
              help="write checked: {date: today, by: sources-check} into the entries of the "
                   "outlets found ok")
@click.pass_context
def sources_check(ctx: click.Context, names: tuple[str, ...], samples: int, workers: int,
                  as_json: bool, details: bool, quiet: bool, record: bool) -> None:
    """Fetch each outlet's robots.txt, feeds, sitemaps, listings and a few articles, and say
    whether pantau finds and reads its articles: ok, degraded or broken (exit status 1 when an
    outlet is broken). Needs the internet for real outlets."""
    from core.config import load_sources, select_sources
    from core.settings import environment
    from pantau.check_verdicts import SUMMARY_COLUMNS, OutletCheck, summary_rows
    from pantau.check_verdicts import details as detail_text
    from pantau.sources_check import check_sources

    settings: Settings = ctx.obj
    chosen = select_sources(load_sources(settings.sources), names)
    fetcher, now = _fetcher_and_now(settings)

    def progress(result: OutletCheck, done: int, total: int) -> None:
        if not quiet:
            click.echo(f"[{done}/{total}] {result.name}: {result.verdict} "
                       f"({result.seconds:.1f} s)", err=True)

    env = environment()  # the crawler's politeness settings
    results = check_sources(chosen, fetcher, samples=samples, workers=workers,
                            delay=env.download_delay, now=now, progress=progress,
                            retry_wait=env.retry_backoff)
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2))
    else:
        if details:
            for result in results:
                click.echo(detail_text(result) + "\n")
        click.echo(render(SUMMARY_COLUMNS, summary_rows(results)))
    if record:
        from pantau.record_checked import record_checked

        ok = {r.name for r in results if r.verdict == "ok"}
        done = record_checked([s for s in chosen if s.name in ok])
        click.echo(f"recorded checked: for {len(done)} outlet(s)"
                   + (f": {', '.join(sorted(done))}" if done else ""), err=True)
    broken = [r.name for r in results if r.verdict == "broken"]
    if broken:
        raise PantauError(f"{len(broken)} of {len(results)} outlets broken: {', '.join(broken)}")


@sources.command("add")
@click.argument("url")
@click.option("--name", help="the outlet's slug [default: from the host, e.g. kompas]")
@click.option("--write", is_flag=True,
              help="append the entry to the sources file (after validating the result)")
@click.option("--json", "as_json", is_flag=True, help="print the findings as JSON")
@click.pass_context
def sources_add(ctx: click.Context, url: str, name: str | None, write: bool,
                as_json: bool) -> None:
    """Discover a new outlet's feeds, sitemaps and listing pages from its home URL, learn an
    article_pattern from the article URLs found, and print a ready sources.yaml entry."""
    from pantau.sources_add import append_entry, discover, entry_yaml

    settings: Settings = ctx.obj
    fetcher, _ = _fetcher_and_now(settings)
    found = discover(url, fetcher, name=name)
    if as_json:
        click.echo(json.dumps(found.to_dict(), ensure_ascii=False, indent=2))
    else:
        for line in found.notes():
            click.echo(f"# {line}", err=True)
        click.echo(entry_yaml(found))
    if write:
        path = Path(settings.sources)
        append_entry(path, found)
        click.echo(f"appended source '{found.name}' to {path}", err=True)
