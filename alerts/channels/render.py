"""Rendering alerts and digests as message text: plain, HTML, Slack mrkdwn, Telegram HTML.

Snippets carry their highlights as ``**word**``; each format turns that into its own bold.
"""

from __future__ import annotations

import html
import re

from alerts.channels.base import Alert, Digest

_BOLD_RE = re.compile(r"\*\*(.+?)\*\*")


def subject(alert: Alert) -> str:
    return f"[pantau] {alert.rule}: {alert.title or alert.url}"


def digest_subject(digest: Digest) -> str:
    n = len(digest.alerts)
    return f"[pantau] {digest.rule}: {n} artikel baru" if n != 1 else subject(digest.alerts[0])


def _when(alert: Alert) -> str:
    return alert.published_at or "tanggal tidak diketahui"


def _also_plain(alert: Alert, indent: str = "") -> str:
    if not alert.also:
        return ""
    lines = "".join(f"{indent}  - {s}: {u}\n" for s, u in alert.also)
    return f"{indent}Juga dimuat di:\n{lines}"


def plain_text(alert: Alert) -> str:
    snippet = _BOLD_RE.sub(r"*\1*", alert.snippet)
    return (
        f"{alert.title or '(tanpa judul)'}\n"
        f"{alert.source} · {_when(alert)}\n"
        f"{alert.url}\n\n"
        f"{snippet}\n\n"
        f"{_also_plain(alert)}"
        f"Aturan: {alert.rule} ({alert.query})\n"
    )


def digest_plain_text(digest: Digest) -> str:
    parts = [f"{len(digest.alerts)} artikel cocok dengan aturan {digest.rule} ({digest.query}):\n"]
    for i, alert in enumerate(digest.alerts, 1):
        snippet = _BOLD_RE.sub(r"*\1*", alert.snippet)
        parts.append(f"{i}. {alert.title or '(tanpa judul)'}\n   {alert.source} · {_when(alert)}"
                     f"\n   {alert.url}\n   {snippet}\n{_also_plain(alert, '   ')}")
    return "\n".join(parts)


def _html_snippet(snippet: str) -> str:
    return _BOLD_RE.sub(r"<mark><strong>\1</strong></mark>", html.escape(snippet, quote=False))


def _html_item(alert: Alert) -> str:
    url = html.escape(alert.url)
    title = html.escape(alert.title or "(tanpa judul)")
    return (
        f'<h3 style="margin:0 0 4px"><a href="{url}">{title}</a></h3>\n'
        f'<p style="margin:0;color:#555">{html.escape(alert.source)} · '
        f"{html.escape(_when(alert))}</p>\n"
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


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_item(alert: Alert) -> str:
    title = _slack_escape(alert.title or alert.url).replace("|", "¦")
    snippet = _BOLD_RE.sub(r"*\1*", _slack_escape(alert.snippet))
    also = ", ".join(f"<{u}|{_slack_escape(s)}>" for s, u in alert.also)
    tail = f"\nJuga dimuat di: {also}" if also else ""
    return (f"*<{alert.url}|{title}>*\n{_slack_escape(alert.source)} · {_when(alert)}\n"
            f">{snippet}{tail}")


def slack_text(alert: Alert) -> str:
    return f"pantau · `{alert.rule}`\n{_slack_item(alert)}"


def digest_slack_text(digest: Digest) -> str:
    head = f"pantau · `{digest.rule}` · {len(digest.alerts)} artikel baru"
    return "\n\n".join([head, *(_slack_item(a) for a in digest.alerts)])


TELEGRAM_LIMIT = 4096


def _telegram_item(alert: Alert) -> str:
    url = html.escape(alert.url)
    title = html.escape(alert.title or alert.url, quote=False)
    snippet = _BOLD_RE.sub(r"<b>\1</b>", html.escape(alert.snippet, quote=False))
    also = ", ".join(f'<a href="{html.escape(u)}">{html.escape(s)}</a>' for s, u in alert.also)
    tail = f"\nJuga dimuat di: {also}" if also else ""
    return (f'<a href="{url}">{title}</a>\n<i>{html.escape(alert.source)} · '
            f"{html.escape(_when(alert))}</i>\n{snippet}{tail}")


def telegram_text(alert: Alert) -> str:
    text = f"<b>pantau</b> · <code>{html.escape(alert.rule)}</code>\n{_telegram_item(alert)}"
    return text if len(text) <= TELEGRAM_LIMIT else telegram_short(alert)


def telegram_short(alert: Alert) -> str:
    return (f"<b>pantau</b> · <code>{html.escape(alert.rule)}</code>\n"
            f'<a href="{html.escape(alert.url)}">{html.escape(alert.title or alert.url)}</a>')


def digest_telegram_text(digest: Digest) -> str:
    """A digest within Telegram's 4096-character limit (the rest is counted, not listed)."""
    head = (f"<b>pantau</b> · <code>{html.escape(digest.rule)}</code> · "
            f"{len(digest.alerts)} artikel baru")
    parts = [head]
    used = len(head)
    for i, alert in enumerate(digest.alerts):
        item = _telegram_item(alert)
        rest = len(digest.alerts) - i
        if used + len(item) + 2 + 40 > TELEGRAM_LIMIT:
            parts.append(f"… dan {rest} artikel lain")
            break
        parts.append(item)
        used += len(item) + 2
    return "\n\n".join(parts)
