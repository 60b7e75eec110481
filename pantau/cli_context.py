"""What the ``pantau`` commands share: the invocation's settings and query parsing."""

from __future__ import annotations

import sys
from typing import Any

import click

from core.errors import PantauError
from core.settings import Settings
from pantau.output import emphasis, output_width, render


def settings_of(ctx: click.Context) -> Settings:
    """The settings the ``pantau`` group resolved for this invocation."""
    settings: Settings = ctx.obj
    return settings


def query_error(exc: Exception) -> PantauError:
    """A query-language error as the CLI's one-line error."""
    return PantauError(f"query: {exc}")


def parse_query_text(text: str, settings: Settings) -> Any:
    """A query of the query language (``@alias`` from the rules file, as in rules), or a
    one-line ``query: … at N`` error."""
    from alerts.rules import load_rules_file
    from query import QueryError, parse_query

    aliases = load_rules_file(settings.rules).aliases if settings.rules.exists() else None
    try:
        return parse_query(text, aliases)
    except QueryError as exc:
        raise query_error(exc) from None


def print_alerts_summary(summary: Any, fmt: str = "table") -> None:
    """The alerts summary: one row per rule and, in a table, a total."""
    columns = ["rule", "matched", "sent", "failed", "pending"]
    rows = [[name, c.matched, c.sent, c.failed, c.pending] for name, c in summary.rules.items()]
    if fmt == "table":
        t = summary.total
        rows.append(["total", t.matched, t.sent, t.failed, t.pending])
    click.echo(render(columns, rows, fmt, count=False))


def print_hits(hits: list[Any], notes: list[str] | None = None) -> None:
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
