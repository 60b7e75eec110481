"""The channel types the rules file can name, checking channel definitions and building channels.

A definition (the ``channels:`` section of the rules file) names a channel, its ``type`` and its
non-secret settings. Secrets (SMTP password, bot tokens, webhook URLs with tokens in them, signing
keys) never live in the rules file: the definition names the environment variable that holds them.

Each type is a :class:`~alerts.channels.base.Channel` subclass that declares its ``type_name``,
its ``keys`` and a ``from_spec`` constructor, registered with :func:`register_channel`. Checking a
definition (:func:`check_channel_spec`) and building a channel (:func:`build_channel`) only ask
the registry; nothing here knows a particular type. The built-in types register themselves when
their modules (:data:`BUILTIN_MODULES`) are imported, which happens on first use.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from alerts.channels.base import Channel, ChannelKey, ChannelSpec

__all__ = [
    "BUILTIN_CHANNELS",
    "BUILTIN_MODULES",
    "ChannelSpec",
    "build_channel",
    "channel_types",
    "check_channel_spec",
    "describe_keys",
    "register_channel",
]

#: Modules whose channel classes are built in (each registers its classes when imported).
BUILTIN_MODULES = (
    "alerts.channels.outbox",
    "alerts.channels.smtp",
    "alerts.channels.slack",
    "alerts.channels.telegram",
    "alerts.channels.webhooks",
)

BUILTIN_CHANNELS: dict[str, ChannelSpec] = {"outbox": ChannelSpec("outbox", "outbox", {})}

_ENV_RE = re.compile(r"^[A-Z_][A-Z0-9_]*$")
_TYPES: dict[str, type[Channel]] = {}
_builtins_loaded = False

C = TypeVar("C", bound=type[Channel])


def register_channel(cls: C) -> C:
    """Class decorator: make ``cls`` a channel type the rules file can name by its ``type_name``."""
    if not cls.type_name or not isinstance(cls.type_name, str):
        raise TypeError(f"{cls.__name__}: set type_name to the 'type:' that selects it")
    if getattr(cls.from_spec, "__func__", None) is getattr(Channel.from_spec, "__func__", 0):
        raise TypeError(f"{cls.__name__}: implement from_spec(spec, outbox)")
    names = [k.name for k in cls.keys]
    if "type" in names or len(set(names)) != len(names):
        raise TypeError(f"{cls.__name__}: keys must be unique and must not include 'type'")
    known = _TYPES.get(cls.type_name)
    if known is not None and known is not cls:
        raise TypeError(f"channel type '{cls.type_name}' is already registered by "
                        f"{known.__module__}.{known.__qualname__}")
    _TYPES[cls.type_name] = cls
    return cls


def channel_types() -> Mapping[str, type[Channel]]:
    """Every registered channel type, by ``type_name`` (the built-in ones loaded first)."""
    global _builtins_loaded
    if not _builtins_loaded:
        for module in BUILTIN_MODULES:
            importlib.import_module(module)
        _builtins_loaded = True
    return _TYPES


def _check_value(name: str, key: ChannelKey, value: Any) -> None:
    if key.many:  # the channel's check_options looks at the items
        return
    if not isinstance(value, str | int):
        raise ValueError(f"'{key.name}' must be a single value")
    if key.kind == "env" and not _ENV_RE.match(str(value)):
        raise ValueError(f"'{key.name}' names an environment variable (upper case, e.g. "
                         f"PANTAU_{name.upper()}_SECRET), not the secret itself")
    if key.kind == "url":
        parts = urlsplit(str(value))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"'{key.name}' must be an http(s) URL")


def check_channel_spec(name: str, options: Mapping[str, Any]) -> ChannelSpec:
    """Validate a channel definition; raises ``ValueError`` naming the offending key in quotes."""
    types = channel_types()
    kind = options.get("type")
    if not isinstance(kind, str) or kind not in types:
        raise ValueError(f"'type' must be one of {', '.join(sorted(types))}")
    cls = types[kind]
    keys = {k.name: k for k in cls.keys}
    for key in options:
        if key != "type" and key not in keys:
            allowed = ", ".join(sorted(("type", *keys)))
            raise ValueError(f"unknown key '{key}' for a {kind} channel (allowed: {allowed})")
    for declared in cls.keys:
        if declared.required and options.get(declared.name) in (None, "", []):
            raise ValueError(f"a {kind} channel needs '{declared.name}'")
    for key, value in options.items():
        if key != "type":
            _check_value(name, keys[key], value)
    cls.check_options(options)
    return ChannelSpec(name, kind, {k: v for k, v in options.items() if k != "type"})


def build_channel(spec: ChannelSpec, outbox: Path) -> Channel:
    """A channel instance for ``spec``; ``outbox`` is the default JSONL outbox path."""
    cls = channel_types().get(spec.type)
    if cls is None:
        raise ValueError(f"{spec.label}: unknown type '{spec.type}'")
    return cls.from_spec(spec, outbox)


def describe_keys(cls: type[Channel]) -> str:
    """The keys of ``cls`` as docs/alerts.md lists them in its channel table (a test checks)."""
    parts = []
    for key in cls.keys:
        text = f"`{key.name}`" + (" (required)" if key.required else "") + f": {key.doc}"
        if key.default is not None:
            text += f" (default: `{key.default}`)"
        parts.append(text)
    return "; ".join(parts) or "none"
