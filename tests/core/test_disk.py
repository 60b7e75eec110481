"""Sizes on disk (core/disk.py)."""

from __future__ import annotations

from pathlib import Path

from core.disk import folder_bytes


def test_folder_bytes_counts_files_at_any_depth(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "one").write_bytes(b"x" * 3)
    (tmp_path / "a" / "b" / "two").write_bytes(b"y" * 5)
    assert folder_bytes(tmp_path) == 8
    assert folder_bytes(tmp_path / "missing") == 0
