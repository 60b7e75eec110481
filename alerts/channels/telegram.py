"""Telegram: the Bot API's ``sendMessage`` in HTML parse mode to one chat, rendered here.

The bot token is read from the environment variable the definition names (``token_env``, default
``PANTAU_TELEGRAM_BOT_TOKEN``), never written in the rules file; errors never show it.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from alerts.channels.base import Alert, Channel, ChannelKey, ChannelSpec, DeliveryError, Digest
from alerts.channels.registry import register_channel
from alerts.channels.render import BOLD_RE, when
from alerts.channels.webhooks import HTTP_CONCURRENCY, TIMEOUT, post_json, secret_from_env

TELEGRAM_LIMIT = 4096


def _telegram_item(alert: Alert) -> str:
    url = html.escape(alert.url)
    title = html.escape(alert.title or alert.url, quote=False)
    snippet = BOLD_RE.sub(r"<b>\1</b>", html.escape(alert.snippet, quote=False))
    also = ", ".join(f'<a href="{html.escape(u)}">{html.escape(s)}</a>' for s, u in alert.also)
    tail = f"\nJuga dimuat di: {also}" if also else ""
    return (f'<a href="{url}">{title}</a>\n<i>{html.escape(alert.source)} · '
            f"{html.escape(when(alert))}</i>\n{snippet}{tail}")


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


@register_channel
class TelegramChannel(Channel):
    """Telegram Bot API ``sendMessage`` (HTML parse mode) to one chat."""

    type_name = "telegram"
    keys = (
        ChannelKey("chat_id", "the chat, group or channel id", required=True),
        ChannelKey("token_env", "the variable holding the bot token", kind="env",
                   default="PANTAU_TELEGRAM_BOT_TOKEN"),
        ChannelKey("base_url", "the Bot API address", kind="url",
                   default="https://api.telegram.org"),
    )
    concurrency = HTTP_CONCURRENCY

    def __init__(self, name: str, token: str, chat_id: str,
                 base_url: str = "https://api.telegram.org", timeout: float = TIMEOUT) -> None:
        self.name = name
        self.timeout = timeout
        self.chat_id = chat_id
        self._url = f"{base_url.rstrip('/')}/bot{token}/sendMessage"

    @classmethod
    def from_spec(cls, spec: ChannelSpec, outbox: Path) -> TelegramChannel:
        token = secret_from_env(cls.option(spec, "token_env"), spec.label)
        return cls(spec.name, token, str(spec.options["chat_id"]),
                   base_url=cls.option(spec, "base_url"))

    def _post(self, text: str) -> None:
        payload = {"chat_id": self.chat_id, "text": text, "parse_mode": "HTML",
                   "link_preview_options": {"is_disabled": True}}
        _, body = post_json(self._url, payload, timeout=self.timeout,
                            label=f"Telegram ({self.name})")
        try:
            reply = json.loads(body or b"{}")
        except ValueError:
            raise DeliveryError(f"Telegram ({self.name}): reply is not JSON") from None
        if not isinstance(reply, dict) or reply.get("ok") is not True:
            raise DeliveryError(f"Telegram ({self.name}): not accepted: {str(reply)[:300]}")

    def send(self, alert: Alert) -> None:
        self._post(telegram_text(alert))

    def send_digest(self, digest: Digest) -> None:
        self._post(digest_telegram_text(digest))
