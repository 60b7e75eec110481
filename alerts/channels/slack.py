"""Slack: an incoming webhook gets ``{"text": …}`` in Slack mrkdwn, rendered here.

The webhook URL holds a token, so it is read from the environment variable the definition names
(``url_env``, default ``PANTAU_SLACK_WEBHOOK_URL``), never written in the rules file.
"""

from __future__ import annotations

from pathlib import Path

from alerts.channels.base import Alert, Channel, ChannelKey, ChannelSpec, Digest
from alerts.channels.registry import register_channel
from alerts.channels.render import BOLD_RE, when
from alerts.channels.webhooks import HTTP_CONCURRENCY, TIMEOUT, post_json, secret_from_env


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_item(alert: Alert) -> str:
    title = _slack_escape(alert.title or alert.url).replace("|", "¦")
    snippet = BOLD_RE.sub(r"*\1*", _slack_escape(alert.snippet))
    also = ", ".join(f"<{u}|{_slack_escape(s)}>" for s, u in alert.also)
    tail = f"\nJuga dimuat di: {also}" if also else ""
    return (f"*<{alert.url}|{title}>*\n{_slack_escape(alert.source)} · {when(alert)}\n"
            f">{snippet}{tail}")


def slack_text(alert: Alert) -> str:
    return f"pantau · `{alert.rule}`\n{_slack_item(alert)}"


def digest_slack_text(digest: Digest) -> str:
    head = f"pantau · `{digest.rule}` · {len(digest.alerts)} artikel baru"
    return "\n\n".join([head, *(_slack_item(a) for a in digest.alerts)])


@register_channel
class SlackChannel(Channel):
    """Slack incoming webhook: ``{"text": …}`` in Slack mrkdwn."""

    type_name = "slack"
    keys = (ChannelKey("url_env", "the variable holding the incoming-webhook URL", kind="env",
                       default="PANTAU_SLACK_WEBHOOK_URL"),)
    concurrency = HTTP_CONCURRENCY

    def __init__(self, name: str, url: str, timeout: float = TIMEOUT) -> None:
        self.name = name
        self.url = url
        self.timeout = timeout

    @classmethod
    def from_spec(cls, spec: ChannelSpec, outbox: Path) -> SlackChannel:
        return cls(spec.name, secret_from_env(cls.option(spec, "url_env"), spec.label))

    def _post(self, text: str) -> None:
        post_json(self.url, {"text": text, "unfurl_links": False}, timeout=self.timeout,
                  label=f"Slack ({self.name})")

    def send(self, alert: Alert) -> None:
        self._post(slack_text(alert))

    def send_digest(self, digest: Digest) -> None:
        self._post(digest_slack_text(digest))
