"""The alert rules file (``rules.yaml``): loading and validation.

Every mistake is reported with the file, the line and what to fix, e.g.::

    rules.yaml:9: rule 'banjir_jkt': query 'banjir (Jakarta': column 16: missing ')' …

See docs/alerts.md for the format.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from alerts.channels.registry import BUILTIN_CHANNELS, ChannelSpec, check_channel_spec
from alerts.spike_method import SPIKE_KEYS, SpikeMethod, parse_spike_options
from core.errors import ConfigError
from core.yamlfile import SLUG_RE, Located, load_located, named_entry, plain
from query.matcher import matches_empty
from query.parser import Node, QueryError, alias_node, parse_query, to_text
from query.stem import StemmerUnavailable

log = logging.getLogger(__name__)

MODES = ("immediate", "digest", "daily")
RULE_KEYS = ("name", "query", "outlets", "sections", "language", "channels", "mode", "since",
             *SPIKE_KEYS)
TOP_KEYS = ("rules", "aliases", "channels")
JAKARTA = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True)
class Rule:
    """One alert rule: what to look for, where, and whom to tell."""

    name: str
    query: str
    node: Node
    outlets: tuple[str, ...] = ()
    channels: tuple[ChannelSpec, ...] = (BUILTIN_CHANNELS["outbox"],)
    mode: str = "immediate"
    since: datetime | None = None
    sections: tuple[str, ...] = ()
    language: str | None = None
    origin: str = ""
    spike: SpikeMethod | None = None  # a volume-spike rule (``spike: QUERY``), not per article

    @property
    def channel_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.channels)


def make_rule(
    name: str,
    query: str,
    *,
    outlets: tuple[str, ...] | list[str] = (),
    channels: tuple[str, ...] | list[str] = ("outbox",),
    mode: str = "immediate",
    since: datetime | date | None = None,
    sections: tuple[str, ...] | list[str] = (),
    language: str | None = None,
    aliases: Mapping[str, Node] | None = None,
    channel_specs: Mapping[str, ChannelSpec] | None = None,
) -> Rule:
    """Build a rule in code (tests, ``alerts check``); raises ``QueryError`` / ``ValueError``."""
    specs = {**BUILTIN_CHANNELS, **(channel_specs or {})}
    unknown = [c for c in channels if c not in specs]
    if unknown:
        raise ValueError(f"unknown channel '{unknown[0]}' (known: {', '.join(sorted(specs))})")
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    return Rule(
        name=name,
        query=query,
        node=parse_query(query, aliases),
        outlets=tuple(outlets),
        channels=tuple(specs[c] for c in channels),
        mode=mode,
        since=_since_datetime(since) if since is not None else None,
        sections=tuple(s.lower() for s in sections),
        language=language,
    )


def _since_datetime(value: datetime | date) -> datetime:
    """A date means midnight in Jakarta; a naive datetime is Jakarta time too."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=JAKARTA)
    return datetime.combine(value, time(0), tzinfo=JAKARTA)


def _string_list(loc: Located, where: str, what: str) -> tuple[str, ...]:
    if loc.value is None:
        return ()
    if isinstance(loc.value, str):
        items = [Located(loc.value, loc.line)]
    elif isinstance(loc.value, list):
        items = loc.value
    else:
        raise ConfigError(f"{where}: {what} must be a list of names")
    out = []
    for item in items:
        if not isinstance(item.value, str) or not item.value.strip():
            raise ConfigError(f"{where.rsplit(':', 1)[0]}:{item.line}: {what} entries must be "
                              "non-empty strings")
        out.append(item.value.strip())
    return tuple(out)


@dataclass
class _Context:
    path: Path
    aliases: dict[str, Node] = field(default_factory=dict)
    channels: dict[str, ChannelSpec] = field(default_factory=dict)
    known_outlets: frozenset[str] | None = None


def _parse_aliases(loc: Located, ctx: _Context) -> None:
    path = ctx.path
    if loc.value is None:
        return
    if not isinstance(loc.value, dict):
        raise ConfigError(
            f"{path}:{loc.line}: 'aliases' must be a mapping of name: [entries], "
            "e.g. jokowi: [Jokowi, \"Joko Widodo\"]"
        )
    for name, entry in loc.value.items():
        if not SLUG_RE.match(name.lower()):
            raise ConfigError(f"{path}:{entry.line}: alias name '{name}' must be a slug "
                              "(letters, digits, '_')")
        entries = _string_list(entry, f"{path}:{entry.line}", f"alias '{name}'")
        try:
            ctx.aliases[name.lower()] = alias_node(name, list(entries))
        except QueryError as exc:
            raise ConfigError(f"{path}:{entry.line}: {exc.message}") from None


def _parse_channels(loc: Located, ctx: _Context) -> None:
    path = ctx.path
    ctx.channels.update(BUILTIN_CHANNELS)
    if loc.value is None:
        return
    if not isinstance(loc.value, dict):
        raise ConfigError(f"{path}:{loc.line}: 'channels' must be a mapping of name: settings")
    for name, entry in loc.value.items():
        where = f"{path}:{entry.line}"
        if not SLUG_RE.match(name):
            raise ConfigError(f"{where}: channel name '{name}' must be a slug")
        if not isinstance(entry.value, dict):
            raise ConfigError(f"{where}: channel '{name}' must be a mapping with a 'type'")
        options = plain(entry)
        try:
            ctx.channels[name] = check_channel_spec(name, options)
        except ValueError as exc:
            key = next((k for k in entry.value if f"'{k}'" in str(exc)), None)
            line = entry.value[key].line if key else entry.line
            raise ConfigError(f"{path}:{line}: channel '{name}': {exc}") from None


#: Parentheses a rule query may nest. Matching and rendering walk the query recursively; real
#: rules nest two or three levels.
MAX_NESTING = 32


def nesting_depth(query: str) -> int:
    """How deep ``query``'s parentheses nest (outside "quoted phrases")."""
    depth = deepest = 0
    quoted = False
    for char in query:
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth = max(0, depth - 1)
    return deepest


def _parse_rule(entry: Located, ctx: _Context) -> Rule:
    path = ctx.path
    where = f"{path}:{entry.line}"
    raw, name, label = named_entry(
        entry, path, "rule", "with 'name' and 'query'", "banjir_jakarta", RULE_KEYS
    )
    spike: SpikeMethod | None = None
    if "spike" in raw:
        if "query" in raw:
            raise ConfigError(f"{path}:{raw['spike'].line}: {label}: give either 'query' (an "
                              "alert per article) or 'spike' (an alert per volume spike)")
        spike = parse_spike_options(raw, path, label)
    elif extra := [k for k in SPIKE_KEYS if k in raw]:
        raise ConfigError(f"{path}:{raw[extra[0]].line}: {label}: '{extra[0]}' belongs to "
                          "spike rules (spike: QUERY)")
    query_loc = raw.get("spike" if spike else "query")
    if query_loc is None or not isinstance(query_loc.value, str) or not query_loc.value.strip():
        line = query_loc.line if query_loc else entry.line
        key = "spike" if spike else "query"
        raise ConfigError(f"{path}:{line}: {label}: '{key}' must be a non-empty string, "
                          f"e.g. {key}: banjir AND (Jakarta OR Bekasi)")
    query = query_loc.value.strip()
    too_deep = (f"{path}:{query_loc.line}: {label}: the query nests parentheses more than "
                f"{MAX_NESTING} levels deep; write it flatter (A OR B OR C needs none)")
    if nesting_depth(query) > MAX_NESTING:
        raise ConfigError(too_deep)
    try:
        node = parse_query(query, ctx.aliases)
    except QueryError as exc:
        raise ConfigError(f"{path}:{query_loc.line}: {label}: query {query!r}: {exc}") from None
    except RecursionError:  # deep nesting through aliases
        raise ConfigError(too_deep) from None
    try:
        empty_match = matches_empty(node)
    except StemmerUnavailable as exc:
        raise ConfigError(f"{path}:{query_loc.line}: {label}: {exc}") from None
    except RecursionError:
        raise ConfigError(too_deep) from None
    if empty_match:
        raise ConfigError(
            f"{path}:{query_loc.line}: {label}: query {query!r} matches articles that contain "
            "none of its words (only NOT terms); add a word the articles must contain"
        )

    outlets: tuple[str, ...] = ()
    if (loc := raw.get("outlets")) is not None:
        outlets = _string_list(loc, f"{path}:{loc.line}", f"{label}: outlets")
        for outlet in outlets:
            if ctx.known_outlets is not None and outlet not in ctx.known_outlets:
                raise ConfigError(
                    f"{path}:{loc.line}: {label}: unknown outlet '{outlet}' "
                    f"(configured: {', '.join(sorted(ctx.known_outlets))})"
                )
            if not SLUG_RE.match(outlet):
                raise ConfigError(f"{path}:{loc.line}: {label}: outlet '{outlet}' must be a "
                                  "source name from sources.yaml (a slug)")

    sections: tuple[str, ...] = ()
    if (loc := raw.get("sections")) is not None:
        sections = tuple(s.lower() for s in _string_list(loc, f"{path}:{loc.line}",
                                                         f"{label}: sections"))

    language = None
    if (loc := raw.get("language")) is not None:
        if not isinstance(loc.value, str) or not re.fullmatch(r"[a-z]{2}", loc.value):
            raise ConfigError(f"{path}:{loc.line}: {label}: language must be an ISO 639-1 code "
                              "such as 'id'")
        language = loc.value

    channels: tuple[ChannelSpec, ...] = (ctx.channels["outbox"],)
    if (loc := raw.get("channels")) is not None:
        names = _string_list(loc, f"{path}:{loc.line}", f"{label}: channels")
        if not names:
            raise ConfigError(f"{path}:{loc.line}: {label}: channels must name at least one "
                              "channel (or leave it out for [outbox])")
        if len(set(names)) != len(names):
            raise ConfigError(f"{path}:{loc.line}: {label}: a channel is listed twice")
        for channel in names:
            if channel not in ctx.channels:
                raise ConfigError(
                    f"{path}:{loc.line}: {label}: unknown channel '{channel}' (define it under "
                    f"'channels:'; known: {', '.join(sorted(ctx.channels))})"
                )
        channels = tuple(ctx.channels[c] for c in names)

    mode = "immediate"
    if (loc := raw.get("mode")) is not None:
        if loc.value not in MODES:
            raise ConfigError(f"{path}:{loc.line}: {label}: mode must be 'immediate' (one "
                              "message per article), 'digest' (one message per rule per run) "
                              "or 'daily' (one digest per recipient per day)")
        mode = loc.value

    since = None
    if (loc := raw.get("since")) is not None:
        value = loc.value
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                value = None
        if not isinstance(value, date):
            raise ConfigError(f"{path}:{loc.line}: {label}: since must be a date such as "
                              "2026-11-01 (or an ISO date-time)")
        since = _since_datetime(value)

    return Rule(name=name, query=query, node=node, outlets=outlets, channels=channels, mode=mode,
                since=since, sections=sections, language=language, origin=where, spike=spike)


def ruleset_fingerprint(rules: list[Rule]) -> str:
    """A hash of everything in ``rules`` that decides which articles alert where.

    Articles already matched against the same fingerprint (and unchanged since) are not matched
    again; editing, adding or removing a rule changes it, and the next run re-matches everything.
    """
    parts = []
    for rule in sorted(rules, key=lambda r: r.name):
        parts.append(json.dumps([
            rule.name, to_text(rule.node), sorted(rule.outlets), sorted(rule.sections),
            rule.language, rule.since.isoformat() if rule.since else None,
            list(rule.channel_names),
        ]))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class RulesFile:
    """Everything a rules file defines."""

    rules: list[Rule]
    aliases: dict[str, Node]
    channels: dict[str, ChannelSpec]


def load_rules_file(path: Path, known_outlets: set[str] | None = None) -> RulesFile:
    """Load and validate a rules file; ``known_outlets`` (source names) checks ``outlets:``."""
    path = Path(path)
    doc = load_located(path)
    if not isinstance(doc.value, dict) or "rules" not in doc.value:
        raise ConfigError(f"{path}:{doc.line}: expected a mapping with a 'rules:' list")
    for key, loc in doc.value.items():
        if key not in TOP_KEYS:
            raise ConfigError(f"{path}:{loc.line}: unknown top-level key '{key}' "
                              f"(allowed: {', '.join(TOP_KEYS)})")
    ctx = _Context(path, known_outlets=frozenset(known_outlets) if known_outlets else None)
    if "aliases" in doc.value:
        _parse_aliases(doc.value["aliases"], ctx)
    _parse_channels(doc.value.get("channels", Located(None, doc.line)), ctx)
    items = doc.value["rules"]
    if not isinstance(items.value, list):
        raise ConfigError(f"{path}:{items.line}: 'rules' must be a list of rules")
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for item in items.value:
        rule = _parse_rule(item, ctx)
        if rule.name in seen:
            raise ConfigError(f"{rule.origin}: rule name '{rule.name}' is already used at "
                              f"{seen[rule.name]}; names must be unique")
        seen[rule.name] = rule.origin
        rules.append(rule)
    return RulesFile(rules=rules, aliases=ctx.aliases, channels=ctx.channels)


def load_rules(path: Path, known_outlets: set[str] | None = None) -> list[Rule]:
    """The rules of a rules file (see :func:`load_rules_file`)."""
    return load_rules_file(path, known_outlets).rules


def warn_unknown_outlets(rules: list[Rule], known: Collection[str]) -> list[tuple[str, str]]:
    """Log a warning for each rule outlet that is not a configured source (such a rule never
    matches there); returns ``(rule, outlet)`` pairs. A warning, not an error: one rules file
    may serve several source sets."""
    found = []
    for rule in rules:
        for outlet in rule.outlets:
            if outlet not in known:
                found.append((rule.name, outlet))
                log.warning("%s: rule '%s' names outlet '%s', which the sources do not "
                            "configure (configured: %s); the rule will never match there",
                            rule.origin, rule.name, outlet, ", ".join(sorted(known)) or "none")
    return found
