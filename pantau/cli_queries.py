"""``pantau sql|search|export``: read the warehouse."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

import click

from pantau.cli_context import parse_query_text, print_hits, settings_of
from pantau.output import FORMATS, emphasis, format_option, render

log = logging.getLogger("pantau")


@click.command()
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
@click.option("--at", "at", metavar="SNAPSHOT|TIME",
              help="DuckLake only: read the warehouse as it was at this snapshot id, or at "
              "this ISO date-time with offset (e.g. 2026-11-20T02:00:00+07:00); the "
              "snapshots: pantau sql \"SELECT * FROM lake.snapshots()\"")
@click.pass_context
def sql(ctx: click.Context, query: str, fmt: str, timeout: float, memory_limit: str,
        max_rows: int | None, snapshot: bool, at: str | None) -> None:
    """Run SQL read-only against the warehouse (with limits; see docs/failure.md).

    On a DuckLake (PANTAU_WAREHOUSE) --at reads an earlier snapshot (time travel)."""
    from pantau.sql_output import print_query

    if max_rows is None:
        max_rows = 10_000 if fmt == "table" else 0
    print_query(settings_of(ctx).db, query, fmt, timeout=timeout, memory_limit=memory_limit,
                max_rows=max_rows, snapshot=snapshot, at=at)


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


@click.command()
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

    node = parse_query_text(query, settings_of(ctx))
    con = connect_reader(settings_of(ctx).db)
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
    print_hits(hits)


@click.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv", "jsonl"]),
              default="parquet", show_default=True)
@click.option("--monthly", is_flag=True,
              help="OUT is a folder of monthly Parquet partitions "
                   "(OUT/year=YYYY/month=M/data_0.parquet, by publication month, UTC)")
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
    monthly: bool,
) -> None:
    """Export articles to a Parquet, CSV or JSON Lines file (or monthly Parquet partitions)."""
    from warehouse.db import connect_reader
    from warehouse.export import export_articles

    node = parse_query_text(query, settings_of(ctx)) if query is not None else None
    con = connect_reader(settings_of(ctx).db, sandbox=False)
    try:
        count = export_articles(
            con, out, fmt, sources=list(names) or None,
            since=_parse_day(since, "--since"), until=_parse_day(until, "--until"), query=node,
            monthly=monthly,
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    finally:
        con.close()
    click.echo(f"{count} articles written to {out}" + (" (monthly partitions)" if monthly else ""))
