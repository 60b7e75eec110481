"""Read a test's warehouse back: one query through a read-only connection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from warehouse.db import connect_reader


def rows(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """All rows of ``sql`` (with ``params``) on the warehouse at ``db``."""
    con = connect_reader(db)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()
