"""Read YAML files keeping the line of every value, so errors can say where to fix them."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from core.errors import ConfigError


@dataclass(frozen=True)
class Located:
    """A plain Python value (dict/list/scalar) with the 1-based line it starts on."""

    value: Any
    line: int


_constructor = yaml.SafeLoader("")


def _convert(node: yaml.Node, path: Path) -> Located:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Located] = {}
        for key_node, value_node in node.value:
            key = _constructor.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise ConfigError(f"{path}:{key_node.start_mark.line + 1}: keys must be strings")
            if key in out:
                raise ConfigError(f"{path}:{key_node.start_mark.line + 1}: duplicate key '{key}'")
            out[key] = _convert(value_node, path)
        return Located(out, line)
    if isinstance(node, yaml.SequenceNode):
        return Located([_convert(item, path) for item in node.value], line)
    # Scalars: let the safe constructor resolve ints, bools, nulls, strings, dates.
    try:
        return Located(_constructor.construct_object(node, deep=True), line)
    except ValueError as exc:  # e.g. 2026-13-01 looks like a date but is none
        raise ConfigError(f"{path}:{line}: invalid value {node.value!r} ({exc}); "
                          "quote it if it is meant as text") from None


#: Values a config file may expand to. Aliases share nodes, so a few hundred bytes of nested
#: aliases ("billion laughs") expand to billions of values; such a file is refused before
#: anything is built from it. Real sources and rules files hold a few thousand values.
MAX_VALUES = 100_000


def _expanded_size(root: yaml.Node, path: Path) -> None:
    """Refuse a document whose aliases expand it past :data:`MAX_VALUES` values.

    Counts every node as often as aliases repeat it, in time linear in the document (sizes of
    shared nodes are computed once), without expanding anything.
    """
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes and not children_done:
            continue
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        if not children_done and children:
            sizes[key] = -1  # in progress
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
            continue
        total = 1 + sum(max(sizes.get(id(c), 1), 1) for c in children)
        sizes[key] = total
        if total > MAX_VALUES:
            raise ConfigError(
                f"{path}:{node.start_mark.line + 1}: this value expands to more than "
                f"{MAX_VALUES:,} values through YAML aliases (*name); write the values out, "
                "or use fewer nested aliases"
            )


def _not_utf8(path: Path, data: bytes, exc: UnicodeDecodeError) -> ConfigError:
    line = data.count(b"\n", 0, exc.start) + 1
    column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
    return ConfigError(
        f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x} at column {column}); "
        "save the file as UTF-8"
    )


def load_located(path: Path) -> Located:
    """Parse a YAML file into :class:`Located` values; errors name the file and line."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a folder, not a YAML file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, data, exc) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ConfigError(f"{where}: invalid YAML: {exc.problem}") from None
    except yaml.reader.ReaderError as exc:  # e.g. a control character
        line = text.count("\n", 0, exc.position) + 1
        raise ConfigError(f"{path}:{line}: invalid YAML: {exc.reason} "
                          f"(character {exc.character!r})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML: {exc}") from None
    if node is None:
        return Located(None, 1)
    _expanded_size(node, path)
    return _convert(node, path)


SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")


def named_entry(
    entry: Located, path: Path, kind: str, shape: str, example: str, allowed: Collection[str]
) -> tuple[dict[str, Located], str, str]:
    """Check one entry of a YAML list of named mappings (a source, a rule).

    It must be a mapping (``shape`` says with what), have a slug ``name`` (``example`` shows
    one) and no key outside ``allowed``. Returns the entry's keys, its name, and the label
    ("source 'kompas'") messages about it start with.
    """
    where = f"{path}:{entry.line}"
    if not isinstance(entry.value, dict):
        raise ConfigError(f"{where}: each {kind} must be a mapping {shape}")
    raw: dict[str, Located] = entry.value
    name_loc = raw.get("name")
    if name_loc is None:
        raise ConfigError(f"{where}: {kind} has no 'name' (a unique slug such as '{example}')")
    name = name_loc.value
    if not isinstance(name, str) or not SLUG_RE.match(name):
        raise ConfigError(
            f"{path}:{name_loc.line}: {kind} name {name!r} must be a slug: lower-case letters, "
            "digits and '_', starting with a letter or digit"
        )
    label = f"{kind} '{name}'"
    for key, key_loc in raw.items():
        if key not in allowed:
            raise ConfigError(
                f"{path}:{key_loc.line}: {label}: unknown key '{key}' "
                f"(allowed: {', '.join(sorted(allowed))})"
            )
    return raw, name, label


def plain(located: Located) -> Any:
    """Strip line information, giving ordinary dicts/lists/scalars."""
    value = located.value
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
