"""Printing a ``pantau sql`` result as it streams in (``warehouse.sql.stream_query``).

CSV and JSON are written batch by batch, so memory stays flat whatever the result's size; the
aligned table needs its column widths first, so it is printed per block of up to 10,000 rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from pantau.output import render
from warehouse.sql import QueryLimits, stream_query

TABLE_BLOCK = 10_000


class _Printer:
    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        self.batches = 0
        self.table: list[tuple[Any, ...]] = []
        self.columns: Sequence[str] = ()

    def write(self, columns: Sequence[str], batch: list[tuple[Any, ...]]) -> None:
        self.columns = columns
        first = self.batches == 0
        self.batches += 1
        if self.fmt == "csv":
            text = render(columns, batch, "csv")
            click.echo(text if first else text.split("\n", 1)[1])
        elif self.fmt == "json":
            inner = render(columns, batch, "json").strip()[1:-1].strip("\n")
            click.echo(("[\n" if first else ",\n") + inner, nl=False)
        else:
            self.table.extend(batch)
            if len(self.table) >= TABLE_BLOCK:
                self._flush_table()

    def _flush_table(self) -> None:
        click.echo(render(self.columns, self.table, "table"))
        self.table = []

    def finish(self, columns: Sequence[str]) -> None:
        if self.fmt == "json":
            click.echo("\n]" if self.batches else "[]")
        elif self.fmt == "csv":
            if not self.batches:
                click.echo(render(columns, [], "csv"))
        elif self.table or not self.batches:
            self.columns = self.columns or columns
            self._flush_table()


def print_query(db: Path, query: str, fmt: str, *, timeout: float, memory_limit: str | None,
                max_rows: int, snapshot: bool = False, at: str | None = None) -> int:
    """Run ``query`` with limits and print its rows in ``fmt``; returns rows printed."""
    printer = _Printer(fmt)
    limits = QueryLimits(timeout=timeout, memory_limit=memory_limit or None, max_rows=max_rows)
    result = stream_query(db, query, printer.write, limits, snapshot=snapshot, at=at)
    if not result.columns:
        return 0
    printer.finish(result.columns)
    if result.truncated:
        click.echo(f"pantau sql: showed the first {result.rows} rows (--max-rows {max_rows}; "
                   "--max-rows 0 prints all)", err=True)
    return result.rows
