"""Write ``checked: {date, by: sources-check}`` into the entries of outlets that passed
``pantau sources check --record``, keeping the rest of the file (comments, order) as it is."""

from __future__ import annotations

import logging
import re
from datetime import date
from pathlib import Path

from core.config import Source, load_sources
from core.errors import ConfigError, PantauError

log = logging.getLogger(__name__)


def _entry_span(lines: list[str], start: int) -> tuple[int, int] | None:
    """(indent of the entry's keys, index of its last content line) for the entry whose
    ``name:`` is on line ``start``; None for an entry written in flow style (``- {name: …}``)."""
    first = lines[start]
    key_at = first.find("name:")
    if key_at < 0 or "{" in first[:key_at]:
        return None
    dash_at = first.find("-")
    item_indent = dash_at if 0 <= dash_at < key_at else key_at - 1
    last = start
    for i in range(start + 1, len(lines)):
        stripped = lines[i].strip()
        if not stripped or stripped.startswith("#"):
            continue
        if len(lines[i]) - len(lines[i].lstrip(" ")) <= item_indent:
            break
        last = i
    return key_at, last


def _set_checked(lines: list[str], start: int, value: str) -> bool:
    span = _entry_span(lines, start)
    if span is None:
        return False
    key_at, last = span
    new_line = " " * key_at + f"checked: {value}"
    pattern = re.compile(" " * key_at + r"checked\s*:")
    for i in range(start, last + 1):
        if pattern.match(lines[i]):
            end = i + 1  # a block-style value continues on deeper-indented lines
            while end <= last and (not lines[end].strip() or
                                   len(lines[end]) - len(lines[end].lstrip(" ")) > key_at):
                end += 1
            lines[i:end] = [new_line]
            return True
    lines.insert(last + 1, new_line)
    return True


def record_checked(sources: list[Source], when: date | None = None) -> list[str]:
    """Record ``checked: {date: when, by: sources-check}`` for ``sources`` in their files; the
    names recorded. A file is only rewritten if it still loads afterwards."""
    value = f"{{date: {(when or date.today()).isoformat()}, by: sources-check}}"
    by_file: dict[Path, list[tuple[int, str]]] = {}
    for source in sources:
        file, _, line = source.origin.rpartition(":")
        if not file or not line.isdigit():
            continue
        by_file.setdefault(Path(file), []).append((int(line) - 1, source.name))
    recorded = []
    for path, entries in by_file.items():
        original = path.read_text(encoding="utf-8")
        lines = original.splitlines()
        # from the bottom up, so inserted lines do not move the entries still to do
        done = [name for start, name in sorted(entries, reverse=True)
                if _set_checked(lines, start, value)]
        skipped = {name for _, name in entries} - set(done)
        if skipped:
            log.warning("%s: not recorded for %s (entry in flow style)", path,
                        ", ".join(sorted(skipped)))
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        try:
            load_sources(path)
        except ConfigError as exc:
            path.write_text(original, encoding="utf-8")
            raise PantauError(f"recording checked: would break {path} ({exc}); left as it "
                              "was") from None
        recorded += done
    return recorded
