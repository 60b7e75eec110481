"""Channel definitions (the ``channels:`` section of the rules file) and building channels.

A definition names a channel and its ``type`` plus non-secret settings. Secrets (SMTP password,
bot tokens, webhook URLs with tokens in them, signing keys) never live in the rules file: the
definition names the environment variable that holds them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
}

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
        if key != "type" and not isinstance(value, str | int | list):
            raise ValueError(f"'{key}' must be a string or a list")
    return ChannelSpec(name, kind, {k: v for k, v in options.items() if k != "type"})


def build_channel(spec: ChannelSpec, outbox: Path) -> Channel:
    """A channel instance for ``spec``; ``outbox`` is the default JSONL outbox path."""
    if spec.type == "outbox":
        from alerts.channels.outbox import OutboxChannel

        return OutboxChannel(Path(spec.options.get("path") or outbox), name=spec.name)
    raise ValueError(f"channel '{spec.name}': unknown type '{spec.type}'")
