"""Writing staging files: the crawler's records file, its stats, and week archives.

Every file is written under a ``.part`` name, fsynced and renamed, so a reader never sees half a
file (see :mod:`staging.layout`).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import secrets
from pathlib import Path
from typing import IO, Any

from staging.layout import ARCHIVE_FORMAT, records_path, stats_path


def part_path_for(path: Path) -> Path:
    """A temporary name next to ``path`` that no other writer (process or thread) uses."""
    return path.with_name(f"{path.name}.{os.getpid()}-{secrets.token_hex(4)}.part")


class _JsonLinesPart:
    """A gzipped JSON-lines file written to ``<path>.part`` and made durable by :meth:`close`."""

    def __init__(self, path: Path, private_part: bool = False) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.part_path = part_path_for(self.path) if private_part else self.path.with_name(
            self.path.name + ".part")
        self._raw: IO[bytes] = open(self.part_path, "wb")  # noqa: SIM115 - closed in close()
        self._gz = gzip.GzipFile(fileobj=self._raw, mode="wb", compresslevel=6)
        self.count = 0  # records written with write()

    def _write(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
        self._gz.write(line.encode("utf-8"))

    def write(self, record: dict[str, Any]) -> None:
        self._write(record)
        self.count += 1

    def _close_part(self) -> None:
        self._gz.close()
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()


class StagingWriter(_JsonLinesPart):
    """Appends records for one (run, source); ``close()`` publishes the file atomically."""

    def __init__(self, staging: Path, run_id: str, source: str) -> None:
        super().__init__(records_path(staging, run_id, source), private_part=True)
        self.final_path = self.path

    def close(self) -> Path:
        self._close_part()
        os.replace(self.part_path, self.final_path)
        return self.final_path


def write_stats(staging: Path, run_id: str, source: str, stats: dict[str, Any]) -> Path:
    """Write the stats file (atomically); this marks the outlet's crawl as finished."""
    path = stats_path(staging, run_id, source)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = part_path_for(path)
    try:
        tmp.write_text(json.dumps(stats, ensure_ascii=False, indent=1, sort_keys=True), "utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


class ArchiveWriter(_JsonLinesPart):
    """Writes a week archive to ``<file>.part``: the header first, then records.

    :meth:`close` makes the part file durable; :meth:`publish` renames it over the week file
    (atomic: readers see the old archive or the new one, never a mixture).
    """

    def __init__(self, path: Path, header: dict[str, Any]) -> None:
        super().__init__(path)
        self._write({"type": "archive", "format": ARCHIVE_FORMAT, **header})  # not counted

    def close(self) -> Path:
        self._close_part()
        return self.part_path

    def abandon(self) -> None:
        with contextlib.suppress(OSError):
            self._gz.close()
            self._raw.close()
        self.part_path.unlink(missing_ok=True)

    def publish(self) -> Path:
        os.replace(self.part_path, self.path)
        fsync_dir(self.path.parent)
        return self.path


def fsync_dir(folder: Path) -> None:
    """Make a rename or delete in ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
