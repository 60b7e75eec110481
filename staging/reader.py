"""Reading staging files: raw records (dicts, as written), typed records for the loader, and
the repair of a damaged file (kept in quarantine, its readable records loaded)."""

from __future__ import annotations

import gzip
import json
import logging
import os
import shutil
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from staging.layout import ARCHIVE_FORMAT, QUARANTINE_FOLDER, DamagedFile
from staging.records import BadRecord, StagedRecord, parse_record
from staging.writer import _JsonLinesPart, fsync_dir

log = logging.getLogger(__name__)


def iter_records(path: Path, strict: bool = False) -> Iterator[dict[str, Any]]:
    """Yield the records of one staging file; a truncated tail is logged and skipped.

    ``strict``: raise :class:`DamagedFile` instead (compaction must not copy half a file).
    """
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for number, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    if strict:
                        raise DamagedFile(f"{path}:{number}: a record is not valid JSON") from None
                    log.warning("%s:%d: skipping a record that is not valid JSON", path, number)
    except (EOFError, gzip.BadGzipFile, OSError, zlib.error) as exc:
        if strict:
            raise DamagedFile(f"{path}: damaged after some records ({exc})") from None
        log.warning("%s: staging file is damaged after some records (%s)", path, exc)


def quarantine_path(path: Path) -> Path:
    """Where a damaged ``<staging>/<run>/<file>`` is kept: ``<staging>/.quarantine/<run>/``."""
    path = Path(path)
    return path.parent.parent / QUARANTINE_FOLDER / path.parent.name / path.name


def quarantine(path: Path, why: str) -> int:
    """Repair a damaged staging file: keep the original in :func:`quarantine_path`, replace it
    with its readable records (atomically, streamed), and return how many it kept.

    Crash-safe: the original is copied (not moved) first, so a kill at any moment leaves either
    the damaged original (repaired again on the next load) or the repaired file in place.
    """
    path = Path(path)
    kept = quarantine_path(path)
    kept.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(path, kept)
    writer = _JsonLinesPart(path, private_part=True)
    try:
        for record in iter_records(kept):
            writer.write(record)
        writer._close_part()
        os.replace(writer.part_path, path)
        fsync_dir(path.parent)
    finally:
        writer.part_path.unlink(missing_ok=True)
    log.error("%s was damaged (%s): %d readable records kept and loaded; the damaged original "
              "is in %s (delete it once you have looked at it)", path, why, writer.count, kept)
    return writer.count


def read_staged(path: Path) -> Iterator[dict[str, Any]]:
    """Every record of a staging file, streamed; a damaged file is repaired on the way
    (:func:`quarantine`) instead of failing this and every later load.

    The records before the damage are yielded once: reading goes on in the repaired file after
    them (a strict read stops at the first bad line, so they are the repaired file's first ones).
    """
    done = 0
    try:
        for record in iter_records(path, strict=True):
            yield record
            done += 1
        return
    except DamagedFile as exc:
        quarantine(path, str(exc))
    for n, record in enumerate(iter_records(path)):
        if n >= done:
            yield record


def read_typed(path: Path) -> Iterator[StagedRecord]:
    """The page and error records of a staging or archive file, typed, streamed (a damaged file
    is repaired, see :func:`read_staged`); other records (headers, logs) are passed over."""
    for data in read_staged(path):
        try:
            record = parse_record(data)
        except BadRecord as exc:
            log.warning("%s: %s; record skipped", path, exc)
            continue
        if record is not None:
            yield record


def read_archive_header(path: Path) -> dict[str, Any]:
    """The first record of a week archive (``type: archive``): its week and runs."""
    for record in iter_records(path, strict=True):
        if record.get("type") != "archive":
            break
        if record.get("format") != ARCHIVE_FORMAT:
            raise DamagedFile(f"{path}: archive format {record.get('format')!r}, this pantau "
                              f"reads format {ARCHIVE_FORMAT}; upgrade pantau")
        return record
    raise DamagedFile(f"{path}: no archive header in its first line")
