"""Channels over HTTP: the generic JSON webhook, and the helpers the chat channels share.

The Slack (:mod:`alerts.channels.slack`) and Telegram (:mod:`alerts.channels.telegram`) channels
post through :func:`post_json` too. Every channel's address is configurable (tests point them at
a local server). Secrets (the Slack webhook URL, the Telegram bot token, the webhook signing key)
are read from environment variables named in the channel definition, never written in the rules
file.

Errors: no connection → :class:`ChannelUnavailable` (the channel is down: its alerts wait, no
attempt counted); no answer within the timeout → :class:`ChannelTimeout` (no attempt counted; a
few in one run trip the channel's circuit breaker); HTTP 4xx / 5xx / a bad reply →
:class:`DeliveryError` (an attempt, retried on a later run).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from alerts.channels.base import (
    Alert,
    Channel,
    ChannelKey,
    ChannelSpec,
    ChannelTimeout,
    ChannelUnavailable,
    DeliveryError,
    Digest,
)
from alerts.channels.registry import register_channel
from core.errors import ConfigError

log = logging.getLogger(__name__)

USER_AGENT = "pantau-alerts/0.1"
TIMEOUT = 20.0


def secret_from_env(var: str, what: str, env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    value = env.get(var, "").strip()
    if not value:
        raise ConfigError(f"{what}: environment variable {var} is not set")
    return value


def post_json(url: str, payload: Any, headers: Mapping[str, str] | None = None,
              timeout: float = TIMEOUT, label: str = "") -> tuple[int, bytes]:
    """POST ``payload`` as JSON; returns (status, body) for 2xx, raises delivery errors else.

    ``label`` names the destination in errors instead of the URL (which may hold a secret).
    """
    body = json.dumps(payload, ensure_ascii=False).encode()
    return post_bytes(url, body, headers, timeout, label)


def post_bytes(url: str, body: bytes, headers: Mapping[str, str] | None = None,
               timeout: float = TIMEOUT, label: str = "") -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("Content-Type", "application/json; charset=utf-8")
    request.add_header("User-Agent", USER_AGENT)
    for key, value in (headers or {}).items():
        request.add_header(key, value)
    where = label or url
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read(300).decode("utf-8", "replace").strip()
        retry = exc.headers.get("Retry-After") if exc.headers else None
        hint = f" (Retry-After {retry})" if retry else ""
        raise DeliveryError(f"{where}: HTTP {exc.code}{hint}: {detail}") from None
    except urllib.error.URLError as exc:
        raise ChannelUnavailable(f"{where}: cannot connect: {exc.reason}") from None
    except TimeoutError:
        raise ChannelTimeout(f"{where}: no answer within {timeout:g}s") from None
    except OSError as exc:
        raise DeliveryError(f"{where}: {exc}") from None


#: Sends at once per HTTP channel (each send is its own request).
HTTP_CONCURRENCY = 4


def sign(secret: str, body: bytes) -> str:
    """The signature header value: ``sha256=`` + hex HMAC-SHA256 of the raw body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@register_channel
class WebhookChannel(Channel):
    """POSTs each alert (or digest) as JSON; optional HMAC-SHA256 signature of the body.

    Alert body: the outbox record (``alert_id``, ``rule``, ``article_id``, ``source``, ``url``,
    ``title``, ``published_at``, ``snippet``, ``matched_at``) plus ``"type": "alert"``. Digest body:
    ``{"type": "digest", "digest_id", "rule", "alerts": [...]}``. The header ``Idempotency-Key``
    carries the alert or digest id, so a receiver can drop a repeat.
    """

    type_name = "webhook"
    keys = (
        ChannelKey("url", "the address to POST to (it or `url_env` is required)", kind="url"),
        ChannelKey("url_env", "the variable holding the address instead (when it holds a token)",
                   kind="env"),
        ChannelKey("secret_env", "the variable holding the signing key (no signature without)",
                   kind="env"),
        ChannelKey("signature_header", "the header carrying the signature",
                   default="X-Pantau-Signature"),
    )
    concurrency = HTTP_CONCURRENCY

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> None:
        if not (options.get("url") or options.get("url_env")):
            raise ValueError("a webhook channel needs 'url' or 'url_env' (the variable holding it)")

    @classmethod
    def from_spec(cls, spec: ChannelSpec, outbox: Path) -> WebhookChannel:
        opts = spec.options
        url = opts.get("url") or secret_from_env(opts["url_env"], spec.label)
        secret = secret_from_env(opts["secret_env"], spec.label) if opts.get(
            "secret_env") else None
        return cls(spec.name, url, secret, cls.option(spec, "signature_header"))

    def __init__(self, name: str, url: str, secret: str | None = None,
                 signature_header: str = "X-Pantau-Signature", timeout: float = TIMEOUT) -> None:
        self.name = name
        self.url = url
        self.timeout = timeout
        self.secret = secret
        self.signature_header = signature_header

    def _post(self, payload: dict[str, Any], key: str) -> None:
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
        headers = {"Idempotency-Key": key}
        if self.secret:
            headers[self.signature_header] = sign(self.secret, body)
        post_bytes(self.url, body, headers, timeout=self.timeout, label=f"webhook ({self.name})")

    def send(self, alert: Alert) -> None:
        self._post({"type": "alert", **alert.to_json()}, alert.id)

    def send_digest(self, digest: Digest) -> None:
        payload = {"type": "digest", "digest_id": digest.id, "rule": digest.rule,
                   "alerts": [a.to_json() for a in digest.alerts]}
        self._post(payload, digest.id)
