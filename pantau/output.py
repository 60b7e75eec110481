"""Render rows for people (a table fitted to the terminal) and for programs (CSV, JSON).

Tables never cut a cell: when the columns do not fit the width (the terminal's, or ``COLUMNS``,
or 100 when the output is not a terminal), the widest columns are narrowed and their cells
wrapped over several lines. Matched words marked ``**so**`` by the query snippets become bold on
a terminal and plain text elsewhere (:func:`emphasis`).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sys
import textwrap
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

import click

FORMATS = ("table", "csv", "json")
DEFAULT_WIDTH = 100  # when stdout is not a terminal and COLUMNS is not set
MIN_COLUMN = 10  # a column is never narrowed below this (or its header)
MAX_WORD = 32  # ... nor below its longest word, up to this length (timestamps fit)
GAP = "  "
_BOLD_RE = re.compile(r"\*\*(.+?)\*\*")


def output_width(stream: IO[str] | None = None) -> int:
    """Columns available: ``COLUMNS``, else the terminal's width, else :data:`DEFAULT_WIDTH`."""
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    out = stream if stream is not None else sys.stdout
    if out.isatty():
        return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    return DEFAULT_WIDTH


def emphasis(text: str, tty: bool) -> str:
    """``**word**`` as bold on a terminal (``tty``), as the plain word otherwise."""
    if tty:
        return _BOLD_RE.sub(lambda m: click.style(m.group(1), bold=True), text)
    return _BOLD_RE.sub(r"\1", text)


def format_option(default: str = "table") -> Any:
    """The ``--format table|csv|json`` option every listing command shares."""
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default=default,
                        show_default=True, help="table for people, csv or json for programs")


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        text = ", ".join(_cell(v) for v in value)
    elif isinstance(value, datetime | date):
        text = value.isoformat()
    else:
        text = str(value)
    return " ".join(text.split())


def fit_widths(natural: list[int], minimum: list[int], width: int) -> list[int]:
    """Column widths summing (with gaps) to at most ``width``: the widest columns give way first,
    none below its ``minimum`` (then the table is wider than ``width``)."""
    widths = list(natural)
    budget = width - len(GAP) * (len(widths) - 1)
    while sum(widths) > budget:
        i = max(range(len(widths)), key=lambda k: widths[k] - minimum[k])
        if widths[i] <= minimum[i]:
            break
        widths[i] -= min(sum(widths) - budget, widths[i] - minimum[i],
                         max(1, widths[i] - max(w for k, w in enumerate(widths) if k != i)))
    return widths


def _wrap(text: str, width: int) -> list[str]:
    if len(text) <= width:
        return [text]
    return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]


def render(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    fmt: str = "table",
    width: int | None = None,
    count: bool = True,
) -> str:
    """Format rows as a text table fitted to ``width`` (default :func:`output_width`), CSV, or
    JSON (a list of objects). ``count`` adds the "(N rows)" line under a table."""
    if fmt == "json":
        return json.dumps(
            [{c: _jsonable(v) for c, v in zip(columns, row, strict=True)} for row in rows],
            ensure_ascii=False,
            indent=2,
        )
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(
                [json.dumps(_jsonable(v), ensure_ascii=False) if isinstance(v, list | dict)
                 else ("" if v is None else _jsonable(v)) for v in row]
            )
        return buf.getvalue().rstrip("\n")
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r} (use one of: {', '.join(FORMATS)})")
    cells = [[_cell(v) for v in row] for row in rows]
    natural = [len(c) for c in columns]
    for row in cells:
        for i, text in enumerate(row):
            natural[i] = max(natural[i], len(text))
    # A column gives way down to its header or its longest word (at most MAX_WORD): slugs,
    # numbers and short words are never broken.
    longest = [max([len(w) for row in cells for w in row[i].split()] or [0])
               for i in range(len(columns))]
    minimum = [min(n, max(MIN_COLUMN, len(c), min(w, MAX_WORD)))
               for n, c, w in zip(natural, columns, longest, strict=True)]
    widths = fit_widths(natural, minimum, width or output_width())
    numeric = [
        all(isinstance(row[i], int | float | Decimal) or row[i] is None for row in rows) and rows
        for i in range(len(columns))
    ]

    def lines(values: Sequence[str]) -> list[str]:
        wrapped = [_wrap(v, widths[i]) for i, v in enumerate(values)]
        out = []
        for k in range(max(len(w) for w in wrapped)):
            parts = [
                (w[k] if k < len(w) else "").rjust(widths[i]) if numeric[i]
                else (w[k] if k < len(w) else "").ljust(widths[i])
                for i, w in enumerate(wrapped)
            ]
            out.append(GAP.join(parts).rstrip())
        return out

    out = [*lines(list(columns)), GAP.join("-" * w for w in widths)]
    for row in cells:
        out.extend(lines(row))
    if count:
        out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)
