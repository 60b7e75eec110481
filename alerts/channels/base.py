"""What every delivery channel gets and does: :class:`Alert`, :class:`Digest`,
:class:`DailyDigest`, :class:`Channel`.

A channel class also says how the rules file configures it: its ``type_name``, the ``keys`` its
definition takes (:class:`ChannelKey`) and how it builds itself from a definition
(:meth:`Channel.from_spec`). :mod:`alerts.channels.registry` collects the classes.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ClassVar

from core.errors import PantauError


class DeliveryError(PantauError):
    """Sending one alert failed; it stays pending and is retried on a later run."""


class ChannelUnavailable(DeliveryError):
    """The channel is down as a whole (connection refused, unreachable, login refused, …).

    Not an answer about this message: no attempt is counted, the channel's alerts wait (however
    long the outage lasts) with the reason in ``last_error``, and the run skips the channel.
    """


class ChannelTimeout(DeliveryError):
    """The channel took the message but gave no answer in time.

    No attempt is counted (nothing was said about this message); after a few timeouts in one
    run the channel counts as down for the rest of the run (the circuit breaker of
    :class:`alerts.deliver.DeliveryLimits`). Receivers drop a repeat by its stable id.
    """


@dataclass(frozen=True)
class Alert:
    """One (rule, article, channel) alert, as a channel sends it."""

    id: str
    rule: str
    query: str
    article_id: str
    channel: str
    source: str
    url: str
    title: str | None
    published_at: str | None  # ISO 8601 with the outlet's own offset
    snippet: str
    matched_at: datetime
    also: tuple[tuple[str, str], ...] = ()  # (source, url) of the same story at other outlets

    @property
    def outlets(self) -> list[str]:
        """Every outlet carrying the story, this alert's first."""
        return list(dict.fromkeys([self.source, *(s for s, _ in self.also)]))

    def to_json(self) -> dict[str, Any]:
        return {
            "alert_id": self.id,
            "rule": self.rule,
            "article_id": self.article_id,
            "source": self.source,
            "url": self.url,
            "title": self.title,
            "published_at": self.published_at,
            "snippet": self.snippet,
            "matched_at": self.matched_at.astimezone(UTC).isoformat(),
            "outlets": self.outlets,
            "also": [{"source": s, "url": u} for s, u in self.also],
        }


@dataclass(frozen=True)
class Digest:
    """All of one rule's alerts for one channel in one run, sent as one message."""

    rule: str
    query: str
    channel: str
    alerts: tuple[Alert, ...]

    @property
    def id(self) -> str:
        """Stable for the same set of alerts (so a resend carries the same id)."""
        joined = "\n".join(sorted(a.id for a in self.alerts))
        return hashlib.sha256(joined.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class DailyDigest:
    """One recipient's (channel's) digest of a day: the alerts of its ``mode: daily`` rules."""

    channel: str
    day: date  # in Asia/Jakarta
    alerts: tuple[Alert, ...]
    queries: tuple[tuple[str, str], ...]  # (rule, query) of every rule in the digest

    @property
    def id(self) -> str:
        """Stable for the same channel, day and alerts (a resend carries the same id)."""
        parts = [self.channel, self.day.isoformat(), *sorted(a.id for a in self.alerts)]
        joined = "\n".join(parts)
        return hashlib.sha256(joined.encode()).hexdigest()[:32]

    def by_rule(self) -> list[Digest]:
        """The alerts per rule (rules in name order), each rule's oldest story first."""
        out = []
        for rule, query in sorted(self.queries):
            alerts = sorted((a for a in self.alerts if a.rule == rule),
                            key=lambda a: (a.published_at or "", a.id))
            if alerts:
                out.append(Digest(rule, query, self.channel, tuple(alerts)))
        return out


@dataclass(frozen=True)
class ChannelSpec:
    """A named channel: its type and settings (no secrets), as the rules file defines it."""

    name: str
    type: str
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """How errors name the channel: ``channel 'NAME'``."""
        return f"channel '{self.name}'"


#: What a key's value must be: free text (or a number), the name of an environment variable
#: (upper case: the rules file never holds the secret itself), or an http(s) URL.
KEY_KINDS = ("text", "env", "url")


@dataclass(frozen=True)
class ChannelKey:
    """One key of a channel definition in the rules file (``type`` itself is implied)."""

    name: str
    doc: str  # one line for docs/alerts.md: what the value is
    required: bool = False
    kind: str = "text"  # one of KEY_KINDS
    default: str | None = None  # the value when the key is left out (None: no value)
    many: bool = False  # a single value or a list of them (the channel checks the items)

    def __post_init__(self) -> None:
        if self.kind not in KEY_KINDS:
            raise ValueError(f"channel key '{self.name}': kind must be one of "
                             f"{', '.join(KEY_KINDS)}, not {self.kind!r}")


class Channel(ABC):
    """A way of telling people. ``send`` raises :class:`DeliveryError` when it did not deliver.

    A class that the rules file can name sets ``type_name`` and ``keys``, implements
    :meth:`from_spec` (and :meth:`check_options` for rules that span keys) and is registered
    with :func:`alerts.channels.registry.register_channel`.
    """

    #: The ``type:`` that selects this class in a channel definition.
    type_name: ClassVar[str] = ""
    #: The keys a definition of this type may (or must) have.
    keys: ClassVar[tuple[ChannelKey, ...]] = ()

    name: str
    #: More than 1 when :meth:`send_many` delivers a list at once, all or nothing, such that
    #: resending alerts already delivered does not repeat them (the outbox).
    batch_size: int = 1
    #: How many sends of this channel may run at once (1: the channel keeps one connection,
    #: like SMTP; stateless HTTP channels allow more). The run's bound applies on top.
    concurrency: int = 1

    @abstractmethod
    def send(self, alert: Alert) -> None:
        """Deliver one alert, or raise :class:`DeliveryError`."""

    def send_many(self, alerts: list[Alert]) -> None:
        """Deliver several alerts (called only when ``batch_size`` > 1)."""
        for alert in alerts:
            self.send(alert)

    def send_digest(self, digest: Digest) -> None:
        """Deliver a rule's alerts as one message; the default sends them one by one."""
        for alert in digest.alerts:
            self.send(alert)

    def send_daily(self, digest: DailyDigest) -> None:
        """Deliver a recipient's daily digest; the default sends one digest per rule."""
        for part in digest.by_rule():
            self.send_digest(part)

    def close(self) -> None:
        """Release connections; called once after a run. Nothing to release by default."""
        return None

    # -- configuration (the rules file's ``channels:`` section) ---------------------------------
    @classmethod
    def from_spec(cls, spec: ChannelSpec, outbox: Path) -> Channel:
        """The channel a checked definition describes; ``outbox`` is the run's default JSONL
        outbox path. Raises :class:`core.errors.ConfigError` when a secret is missing."""
        raise NotImplementedError(f"{cls.__name__} does not implement from_spec")

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> None:
        """Checks beyond each key's own (called after them); raise ``ValueError`` naming the
        offending key in quotes. Nothing more to check by default."""
        return None

    @classmethod
    def option(cls, spec: ChannelSpec, key: str) -> Any:
        """``spec``'s value for ``key``, or the key's declared default when it is left out."""
        value = spec.options.get(key)
        if value in (None, ""):
            declared = next((k for k in cls.keys if k.name == key), None)
            if declared is None:
                raise KeyError(f"{cls.__name__} declares no key '{key}'")
            return declared.default
        return value
