"""Channel definitions (the ``channels:`` section of the rules file) and building channels.

A definition names a channel and its ``type`` plus non-secret settings. Secrets (SMTP password,
bot tokens, webhook URLs with tokens in them, signing keys) never live in the rules file: the
definition names the environment variable that holds them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from alerts.channels.base import Channel


@dataclass(frozen=True)
class ChannelSpec:
    """A named channel: its type and settings (no secrets)."""

    name: str
    type: str
    options: Mapping[str, Any] = field(default_factory=dict)


# type -> (required keys, optional keys); "type" itself is implied.
CHANNEL_TYPES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "outbox": ((), ("path",)),
    "email": (("to",), ("from",)),
    "slack": ((), ("url_env",)),
    "telegram": (("chat_id",), ("token_env", "base_url")),
    "webhook": ((), ("url", "url_env", "secret_env", "signature_header")),
}
DEFAULT_ENV = {
    "slack.url_env": "PANTAU_SLACK_WEBHOOK_URL",
    "telegram.token_env": "PANTAU_TELEGRAM_BOT_TOKEN",
}
_ENV_RE = re.compile(r"^[A-Z_][A-Z0-9_]*$")

BUILTIN_CHANNELS: dict[str, ChannelSpec] = {"outbox": ChannelSpec("outbox", "outbox", {})}


def check_channel_spec(name: str, options: Mapping[str, Any]) -> ChannelSpec:
    """Validate a channel definition; raises ``ValueError`` naming the offending key in quotes."""
    kind = options.get("type")
    if kind not in CHANNEL_TYPES:
        raise ValueError(f"'type' must be one of {', '.join(sorted(CHANNEL_TYPES))}")
    required, optional = CHANNEL_TYPES[kind]
    for key in options:
        if key != "type" and key not in required and key not in optional:
            allowed = ", ".join(sorted(("type", *required, *optional)))
            raise ValueError(f"unknown key '{key}' for a {kind} channel (allowed: {allowed})")
    for key in required:
        if options.get(key) in (None, "", []):
            raise ValueError(f"a {kind} channel needs '{key}'")
    for key, value in options.items():
        if key == "to":
            continue
        if key != "type" and not isinstance(value, str | int):
            raise ValueError(f"'{key}' must be a single value")
        if key.endswith("_env") and not _ENV_RE.match(str(value)):
            raise ValueError(f"'{key}' names an environment variable (upper case, e.g. "
                             f"PANTAU_{name.upper()}_SECRET), not the secret itself")
        if key in ("url", "base_url"):
            parts = urlsplit(str(value))
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"'{key}' must be an http(s) URL")
    if kind == "email":
        to = options["to"]
        addresses = [to] if isinstance(to, str) else to
        if not isinstance(addresses, list) or not all(
            isinstance(a, str) and "@" in a for a in addresses
        ):
            raise ValueError("'to' must be an email address or a list of them")
    if kind == "webhook" and not (options.get("url") or options.get("url_env")):
        raise ValueError("a webhook channel needs 'url' or 'url_env' (the variable holding it)")
    return ChannelSpec(name, kind, {k: v for k, v in options.items() if k != "type"})


def build_channel(spec: ChannelSpec, outbox: Path) -> Channel:
    """A channel instance for ``spec``; ``outbox`` is the default JSONL outbox path."""
    if spec.type == "outbox":
        from alerts.channels.outbox import OutboxChannel

        return OutboxChannel(Path(spec.options.get("path") or outbox), name=spec.name)
    what = f"channel '{spec.name}'"
    opts = spec.options
    if spec.type == "email":
        from alerts.channels.smtp import EmailChannel, smtp_settings

        to = opts["to"]
        return EmailChannel(spec.name, [to] if isinstance(to, str) else list(to),
                            smtp_settings(), sender=opts.get("from"))
    from alerts.channels import webhooks

    if spec.type == "slack":
        var = opts.get("url_env") or DEFAULT_ENV["slack.url_env"]
        return webhooks.SlackChannel(spec.name, webhooks.secret_from_env(var, what))
    if spec.type == "telegram":
        var = opts.get("token_env") or DEFAULT_ENV["telegram.token_env"]
        return webhooks.TelegramChannel(
            spec.name, webhooks.secret_from_env(var, what), str(opts["chat_id"]),
            base_url=opts.get("base_url") or "https://api.telegram.org",
        )
    if spec.type == "webhook":
        url = opts.get("url") or webhooks.secret_from_env(opts["url_env"], what)
        secret = webhooks.secret_from_env(opts["secret_env"], what) if opts.get(
            "secret_env") else None
        return webhooks.WebhookChannel(spec.name, url, secret,
                                       opts.get("signature_header") or "X-Pantau-Signature")
    raise ValueError(f"{what}: unknown type '{spec.type}'")
