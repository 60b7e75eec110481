"""Sizes on disk."""

from __future__ import annotations

from pathlib import Path


def folder_bytes(folder: Path) -> int:
    """Bytes of the files under ``folder``, at any depth (0 when it does not exist)."""
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())
