"""A recipient's daily digest as plain text and as an HTML page (what email sends): per rule, the
day's stories (first outlet and time, the other outlets that ran them) and a small coverage chart,
stories per outlet, drawn as HTML bars (tables and widths: it renders in every mail client, where
SVG and scripts do not).
"""

from __future__ import annotations

import html
from collections import Counter

from alerts.channels.base import Alert, DailyDigest, Digest
from alerts.channels.render import BOLD_RE, when

BAR_PX = 160  # the longest bar


def subject(digest: DailyDigest) -> str:
    stories = len(digest.alerts)
    return (f"[pantau] Ringkasan harian {digest.day.isoformat()}: {stories} cerita, "
            f"{len(digest.by_rule())} aturan")


def coverage(part: Digest) -> list[tuple[str, int]]:
    """Stories per outlet among a rule's alerts (an outlet counts once per story it ran)."""
    counts = Counter(outlet for alert in part.alerts for outlet in alert.outlets)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _story_plain(i: int, alert: Alert) -> str:
    also = f"\n   juga: {', '.join(s for s, _ in alert.also)}" if alert.also else ""
    snippet = BOLD_RE.sub(r"*\1*", alert.snippet)
    return (f"{i}. {alert.title or '(tanpa judul)'}\n   pertama: {alert.source} · {when(alert)}"
            f"\n   {alert.url}{also}\n   {snippet}\n")


def plain_text(digest: DailyDigest) -> str:
    parts = [f"Ringkasan harian pantau, {digest.day.isoformat()} (WIB)\n"]
    for part in digest.by_rule():
        parts.append(f"== {part.rule} ({part.query}): {len(part.alerts)} cerita ==")
        chart = coverage(part)
        peak = max((n for _, n in chart), default=1)
        width = max((len(o) for o, _ in chart), default=0)
        for outlet, n in chart:
            parts.append(f"  {outlet:<{width}} {'#' * max(1, round(20 * n / peak))} {n}")
        parts.append("")
        parts += [_story_plain(i, a) for i, a in enumerate(part.alerts, 1)]
    return "\n".join(parts)


def _chart_html(part: Digest) -> str:
    chart = coverage(part)
    peak = max((n for _, n in chart), default=1)
    rows = "".join(
        f'<tr class="coverage-row" data-outlet="{html.escape(o)}" data-count="{n}">'
        f'<td style="padding:1px 8px 1px 0;font-size:13px">{html.escape(o)}</td>'
        f'<td style="padding:1px 0"><div style="background:#0072B2;height:12px;'
        f'width:{max(2, round(BAR_PX * n / peak))}px"></div></td>'
        f'<td style="padding:1px 0 1px 6px;font-size:13px">{n}</td></tr>'
        for o, n in chart)
    return (f'<table class="coverage" data-rule="{html.escape(part.rule)}" '
            'role="img" aria-label="stories per outlet" '
            f'style="border-collapse:collapse;margin:4px 0 12px">{rows}</table>')


def _story_html(alert: Alert) -> str:
    also = ("<br><span style=\"color:#555\">juga: " + ", ".join(
        f'<a href="{html.escape(u)}">{html.escape(s)}</a>' for s, u in alert.also) + "</span>"
        if alert.also else "")
    snippet = BOLD_RE.sub(r"<mark><strong>\1</strong></mark>",
                          html.escape(alert.snippet, quote=False))
    return (f'<li class="story" style="margin-bottom:10px"><a href="{html.escape(alert.url)}">'
            f"<strong>{html.escape(alert.title or '(tanpa judul)')}</strong></a><br>"
            f'<span style="color:#555">pertama: {html.escape(alert.source)} · '
            f"{html.escape(when(alert))}</span>{also}<br>{snippet}</li>")


def html_text(digest: DailyDigest) -> str:
    sections = []
    for part in digest.by_rule():
        stories = "".join(_story_html(a) for a in part.alerts)
        sections.append(
            f'<section class="rule" data-rule="{html.escape(part.rule)}" '
            f'data-stories="{len(part.alerts)}"><h2 style="font-size:17px;margin:18px 0 4px">'
            f"{html.escape(part.rule)} <span style=\"color:#777;font-weight:normal\">"
            f"{html.escape(part.query)} · {len(part.alerts)} cerita</span></h2>"
            f"{_chart_html(part)}<ol style=\"padding-left:20px\">{stories}</ol></section>")
    return ('<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8">'
            f"<title>{html.escape(subject(digest))}</title></head>\n"
            '<body style="font-family:sans-serif;max-width:42em">\n'
            f'<h1 style="font-size:20px">Ringkasan harian {digest.day.isoformat()}</h1>\n'
            + "\n".join(sections)
            + '<hr><p style="color:#777;font-size:small">pantau · sekali sehari, per penerima'
            "</p>\n</body></html>\n")
