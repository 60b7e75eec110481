"""The channel registry: a channel class declared and registered here, in this test module alone,
is accepted by the rules loader, checked with file:line errors, built and delivered to; and
docs/alerts.md documents every registered channel's keys."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import duckdb
import pytest

from alerts.channels import registry
from alerts.channels.base import Alert, Channel, ChannelKey, ChannelSpec
from alerts.channels.registry import (
    build_channel,
    channel_types,
    check_channel_spec,
    describe_keys,
    register_channel,
)
from alerts.deliver import run_alerts
from alerts.rules import load_rules_file
from core.errors import ConfigError
from core.settings import REPO_ROOT

NOW = datetime(2026, 11, 21, 23, 0, tzinfo=UTC)


class PigeonChannel(Channel):
    """A channel no module of pantau knows: it keeps what it is sent."""

    type_name = "pigeon"
    keys = (
        ChannelKey("loft", "where the pigeon flies to", required=True),
        ChannelKey("ring_env", "the variable holding the ring code", kind="env",
                   default="PANTAU_PIGEON_RING"),
        ChannelKey("map_url", "a map of the route", kind="url"),
    )
    delivered: ClassVar[list[tuple[str, str, str]]] = []

    def __init__(self, name: str, loft: str, ring_env: str) -> None:
        self.name = name
        self.loft = loft
        self.ring_env = ring_env

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> None:
        if str(options["loft"]).lower() == "nowhere":
            raise ValueError("'loft' must be a place a pigeon can find")

    @classmethod
    def from_spec(cls, spec: ChannelSpec, outbox: Path) -> PigeonChannel:
        return cls(spec.name, str(spec.options["loft"]), cls.option(spec, "ring_env"))

    def send(self, alert: Alert) -> None:
        PigeonChannel.delivered.append((self.name, self.loft, alert.title or ""))


@pytest.fixture
def pigeon(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[PigeonChannel]]:
    """PigeonChannel registered for one test (the registry is restored afterwards)."""
    monkeypatch.setattr(registry, "_TYPES", dict(channel_types()))
    PigeonChannel.delivered.clear()
    yield register_channel(PigeonChannel)
    PigeonChannel.delivered.clear()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


RULES = """\
channels:
  kurir:
    type: pigeon
    loft: Menteng
rules:
  - name: banjir
    query: banjir
    channels: [kurir, outbox]
"""


def test_a_registered_channel_is_loaded_built_and_delivered_to(
    pigeon: type[PigeonChannel], con: duckdb.DuckDBPyConnection, add_article, tmp_path: Path
) -> None:
    loaded = load_rules_file(write(tmp_path, RULES))
    spec = loaded.channels["kurir"]
    assert spec == ChannelSpec("kurir", "pigeon", {"loft": "Menteng"})
    channel = build_channel(spec, tmp_path / "outbox.jsonl")
    assert isinstance(channel, PigeonChannel)
    assert (channel.loft, channel.ring_env) == ("Menteng", "PANTAU_PIGEON_RING")  # the default

    add_article("detakpos", "Banjir Rendam Kampung Melayu", "Kampung Melayu kebanjiran lagi.")
    summary = run_alerts(con, loaded.rules, tmp_path / "outbox.jsonl", now=NOW)
    assert summary.total.sent == 2  # the pigeon and the outbox
    assert PigeonChannel.delivered == [("kurir", "Menteng", "Banjir Rendam Kampung Melayu")]


@pytest.mark.parametrize(
    ("entry", "line", "fragment"),
    [
        ("    type: pigeon\n", 3, "a pigeon channel needs 'loft'"),
        ("    type: pigeon\n    loft: Menteng\n    wings: 2\n", 5,
         "unknown key 'wings' for a pigeon channel (allowed: loft, map_url, ring_env, type)"),
        ("    type: pigeon\n    loft: Menteng\n    ring_env: rahasia-123\n", 5,
         "'ring_env' names an environment variable"),
        ("    type: pigeon\n    map_url: ftp://peta\n    loft: Menteng\n", 4,
         "'map_url' must be an http(s) URL"),
        ("    type: pigeon\n    loft: [Menteng, Cikini]\n", 4, "'loft' must be a single value"),
        ("    type: pigeon\n    loft: nowhere\n", 4, "'loft' must be a place a pigeon can find"),
    ],
)
def test_a_registered_channel_is_checked_with_file_and_line(
    pigeon: type[PigeonChannel], tmp_path: Path, entry: str, line: int, fragment: str
) -> None:
    path = write(tmp_path, f"channels:\n  kurir:\n{entry}rules: []\n")
    with pytest.raises(ConfigError) as info:
        load_rules_file(path)
    message = str(info.value)
    assert message.startswith(f"{path}:{line}: channel 'kurir': "), message
    assert fragment in message


def test_an_unregistered_type_is_refused(tmp_path: Path) -> None:
    assert "pigeon" not in channel_types()
    path = write(tmp_path, RULES)
    with pytest.raises(ConfigError, match=r":3: channel 'kurir': 'type' must be one of email, "):
        load_rules_file(path)


def test_registering_refuses_incomplete_or_clashing_classes(
    pigeon: type[PigeonChannel]
) -> None:
    class Nameless(PigeonChannel):
        type_name = ""

    class NoBuilder(Channel):
        type_name = "carrier"

        def send(self, alert: Alert) -> None:  # pragma: no cover - never built
            pass

    class Impostor(PigeonChannel):
        pass

    class TypedKey(PigeonChannel):
        type_name = "typed"
        keys = (ChannelKey("type", "clashes with the implied key"),)

    for cls, fragment in [(Nameless, "set type_name"), (NoBuilder, "implement from_spec"),
                          (Impostor, "already registered"), (TypedKey, "must not include")]:
        with pytest.raises(TypeError, match=fragment):
            register_channel(cls)
    with pytest.raises(ValueError, match="kind must be one of"):
        ChannelKey("x", "a key of no known kind", kind="secret")


@pytest.mark.parametrize("kind", sorted(channel_types()))
def test_every_builtin_type_builds_its_own_class(
    kind: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for var in ("PANTAU_SMTP_HOST", "PANTAU_SLACK_WEBHOOK_URL", "PANTAU_TELEGRAM_BOT_TOKEN"):
        monkeypatch.setenv(var, "http://127.0.0.1:9/x")
    cls = channel_types()[kind]
    options = {"type": kind, **{k.name: "a@b.example" if k.many else "x"
                                for k in cls.keys if k.required}}
    if kind == "webhook":
        options["url"] = "http://127.0.0.1:9/hook"
    channel = build_channel(check_channel_spec("c", options), tmp_path / "outbox.jsonl")
    assert type(channel) is cls and channel.name == "c"


_ROW_RE = re.compile(r"^\| `([a-z_]+)` \| (.+?) \| .+ \|$", re.MULTILINE)


def test_docs_document_every_registered_channel_and_its_keys() -> None:
    text = (REPO_ROOT / "docs" / "alerts.md").read_text(encoding="utf-8")
    table = text[text.index("| type | keys | sends |"):]
    table = table[:table.index("\n\n")]
    documented = dict(_ROW_RE.findall(table))
    types = channel_types()
    assert sorted(documented) == sorted(types), "docs/alerts.md's channel table is out of date"
    for kind, cls in types.items():
        assert documented[kind] == describe_keys(cls), (
            f"docs/alerts.md: the keys of '{kind}' should read: {describe_keys(cls)}")
