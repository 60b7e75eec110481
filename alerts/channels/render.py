"""Rendering alerts and digests as plain text and as an HTML page (what email sends), and the
pieces every format uses.

Snippets carry their highlights as ``**word**``; each format turns that into its own bold. A
format only one channel speaks lives with that channel (Slack mrkdwn in
:mod:`alerts.channels.slack`, Telegram HTML in :mod:`alerts.channels.telegram`).
"""

from __future__ import annotations

import html
import re

from alerts.channels.base import Alert, Digest

#: A snippet's highlight: ``**word**``.
BOLD_RE = re.compile(r"\*\*(.+?)\*\*")


def subject(alert: Alert) -> str:
    return f"[pantau] {alert.rule}: {alert.title or alert.url}"


def digest_subject(digest: Digest) -> str:
    n = len(digest.alerts)
    return f"[pantau] {digest.rule}: {n} artikel baru" if n != 1 else subject(digest.alerts[0])


def when(alert: Alert) -> str:
    """The alert's publication time as written, or "date unknown"."""
    return alert.published_at or "tanggal tidak diketahui"


def _also_plain(alert: Alert, indent: str = "") -> str:
    if not alert.also:
        return ""
    lines = "".join(f"{indent}  - {s}: {u}\n" for s, u in alert.also)
    return f"{indent}Juga dimuat di:\n{lines}"


def plain_text(alert: Alert) -> str:
    snippet = BOLD_RE.sub(r"*\1*", alert.snippet)
    return (
        f"{alert.title or '(tanpa judul)'}\n"
        f"{alert.source} · {when(alert)}\n"
        f"{alert.url}\n\n"
        f"{snippet}\n\n"
        f"{_also_plain(alert)}"
        f"Aturan: {alert.rule} ({alert.query})\n"
    )


def digest_plain_text(digest: Digest) -> str:
    parts = [f"{len(digest.alerts)} artikel cocok dengan aturan {digest.rule} ({digest.query}):\n"]
    for i, alert in enumerate(digest.alerts, 1):
        snippet = BOLD_RE.sub(r"*\1*", alert.snippet)
        parts.append(f"{i}. {alert.title or '(tanpa judul)'}\n   {alert.source} · {when(alert)}"
                     f"\n   {alert.url}\n   {snippet}\n{_also_plain(alert, '   ')}")
    return "\n".join(parts)


def _html_snippet(snippet: str) -> str:
    return BOLD_RE.sub(r"<mark><strong>\1</strong></mark>", html.escape(snippet, quote=False))


def _html_item(alert: Alert) -> str:
    url = html.escape(alert.url)
    title = html.escape(alert.title or "(tanpa judul)")
    return (
        f'<h3 style="margin:0 0 4px"><a href="{url}">{title}</a></h3>\n'
        f'<p style="margin:0;color:#555">{html.escape(alert.source)} · '
        f"{html.escape(when(alert))}</p>\n"
        f"<p>{_html_snippet(alert.snippet)}</p>\n"
        + (
            "<p style=\"margin:0;color:#555\">Juga dimuat di: "
            + ", ".join(f'<a href="{html.escape(u)}">{html.escape(s)}</a>' for s, u in alert.also)
            + "</p>\n"
            if alert.also else ""
        )
    )


def _html_page(body: str, footer: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8"></head>\n'
        '<body style="font-family:sans-serif;max-width:40em">\n'
        f"{body}<hr>\n<p style=\"color:#777;font-size:small\">{footer}</p>\n</body></html>\n"
    )


def html_text(alert: Alert) -> str:
    footer = f"pantau · aturan {html.escape(alert.rule)}: {html.escape(alert.query)}"
    return _html_page(_html_item(alert), footer)


def digest_html_text(digest: Digest) -> str:
    items = "\n".join(_html_item(a) for a in digest.alerts)
    footer = (f"pantau · {len(digest.alerts)} artikel · aturan {html.escape(digest.rule)}: "
              f"{html.escape(digest.query)}")
    return _html_page(items, footer)
