"""``pantau alerts [check|list]``: deliver, dry-run and list keyword alerts."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from core.settings import Settings, resolve_settings
from pantau.cli_context import print_alerts_summary, print_hits, settings_of
from pantau.output import emphasis, format_option, render

log = logging.getLogger("pantau")


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


@click.group(invoke_without_command=True)
@RULES_OPTION
@format_option()
@click.pass_context
def alerts(ctx: click.Context, rules: Path | None, fmt: str) -> None:
    """Match rules against not-yet-alerted articles and deliver (or: check, list).

    --rules goes before or after the subcommand: `alerts --rules F check X` or
    `alerts check X --rules F`.
    """
    ctx.obj = _with_rules(settings_of(ctx), rules)
    if ctx.invoked_subcommand is None:
        from pantau.steps import alerts_step

        print_alerts_summary(alerts_step(ctx.obj), fmt)


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

    settings = _with_rules(settings_of(ctx), rules)
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
        print_hits(hits, [" (alerted)" if h.alerted else "" for h in hits])
        return
    rows = [[h.published_at, h.source, h.title, emphasis(h.snippet, False),
             h.alerted if fmt == "json" else ("yes" if h.alerted else ""), h.url]
            for h in hits]
    click.echo(render(["published_at", "source", "title", "snippet", "alerted", "url"], rows,
                      fmt))


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

    con = connect_reader(_with_rules(settings_of(ctx), rules).db)
    try:
        found = recent_alerts(con, limit, rule=rule, status=status)
    finally:
        con.close()
    rows = [[a.created_at, a.rule, a.channel, a.status, a.attempts, a.source, a.title,
             a.last_error] for a in found]
    click.echo(render(["created_at", "rule", "channel", "status", "attempts", "source", "title",
                       "last_error"], rows, fmt))
