"""Weekly housekeeping of staging and warehouse (what ``pantau_maintenance`` runs).

- :func:`cleanup_staging`: in runs that were loaded completely (every outlet staged for the run
  has its ``crawl_runs`` row), remove what the load no longer needs: half-written ``.part`` files
  of crashed crawls and runs that staged no pages at all. Staged pages of loaded runs stay: they
  are the raw archive ``pantau reprocess`` reads. Runs not (fully) loaded are never touched.
  Batch files of loads killed mid-way (``<staging>/.load/``, untouched for a day) go too.
- :func:`compact_archive`: fold loaded runs older than ``PANTAU_COMPACT_AFTER_DAYS`` (7) into
  one raw archive per ISO week (:mod:`staging.compaction`, the warehouse's archive paths moved by
  :mod:`warehouse.archive_paths`).
- :func:`compact_warehouse`: fold the WAL into the database file and give freed space back
  (:func:`warehouse.size.compact`); its size on disk before and after.
- :func:`export_window`: one window's articles, versions and crawl runs as Parquet
  (:func:`warehouse.export.export_tables`, the one exporter).
"""

from __future__ import annotations

import logging
import shutil
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from core.disk import folder_bytes
from core.settings import Settings
from staging import compaction as staging_compaction
from staging import list_runs
from staging.compaction import CompactionSummary, staged_outlets
from warehouse import archive_paths

log = logging.getLogger(__name__)

__all__ = ["CleanupSummary", "CompactionSummary", "cleanup_staging", "compact_archive",
           "compact_warehouse", "export_window", "missing_archives"]


@dataclass
class CleanupSummary:
    """What :func:`cleanup_staging` did."""

    runs_seen: int = 0
    runs_loaded: int = 0
    runs_kept_unloaded: list[str] = field(default_factory=list)
    removed_files: int = 0
    removed_runs: int = 0
    freed_bytes: int = 0
    removed_batches: int = 0  # batch files of loads killed mid-way (<staging>/.load/)


#: a load's batch folder untouched this long belongs to a load that was killed
STALE_BATCH_SECONDS = 24 * 3600


def _remove_stale_batches(staging: Path, summary: CleanupSummary) -> None:
    """Batch folders left by loads killed with kill -9 (a running load touches its own)."""
    from warehouse.loader import LOAD_FOLDER

    folder = staging / LOAD_FOLDER
    if not folder.is_dir():
        return
    cutoff = time.time() - STALE_BATCH_SECONDS
    for batch in folder.iterdir():
        if batch.is_dir() and batch.stat().st_mtime < cutoff:
            summary.freed_bytes += folder_bytes(batch)
            shutil.rmtree(batch, ignore_errors=True)
            summary.removed_batches += 1


def cleanup_staging(settings: Settings) -> CleanupSummary:
    """Tidy staging folders of completely loaded runs (see the module docstring)."""
    summary = CleanupSummary()
    if not settings.staging.is_dir():
        return summary
    _remove_stale_batches(settings.staging, summary)
    loaded = archive_paths.loaded_outlets(settings.db)
    for run in list_runs(settings.staging):  # not .crawlcache, not the compacted archive
        summary.runs_seen += 1
        staged = staged_outlets(run)
        if not staged or not staged <= loaded.get(run.name, set()):
            summary.runs_kept_unloaded.append(run.name)
            continue
        summary.runs_loaded += 1
        for part in run.glob("*.part"):
            summary.freed_bytes += part.stat().st_size
            part.unlink()
            summary.removed_files += 1
        if not any(run.glob("*.jsonl.gz")):  # nothing archived: the folder has no further use
            summary.freed_bytes += folder_bytes(run)
            shutil.rmtree(run)
            summary.removed_runs += 1
    log.info("staging cleanup: %d runs, %d loaded, %d kept (not fully loaded), %d files and "
             "%d runs removed, %d bytes freed", summary.runs_seen, summary.runs_loaded,
             len(summary.runs_kept_unloaded), summary.removed_files, summary.removed_runs,
             summary.freed_bytes)
    return summary


def compact_archive(
    settings: Settings, now: datetime | None = None, after_days: float | None = None
) -> CompactionSummary:
    """Fold loaded runs crawled ``after_days`` or longer ago (default
    ``settings.compact_after_days``) into weekly archives (see :mod:`staging.compaction`)."""
    from warehouse.db import lock_wait_seconds

    days = settings.compact_after_days if after_days is None else after_days
    return staging_compaction.compact_archive(
        settings.staging, archive_paths.WarehouseCatalog(settings.db), after_days=days, now=now,
        lock_wait_seconds=lock_wait_seconds())


def missing_archives(settings: Settings) -> list[str]:
    """Warehouse archive paths that name no existing file (should always be empty)."""
    return archive_paths.missing_archives(settings.db)


def compact_warehouse(settings: Settings) -> dict[str, Any]:
    """CHECKPOINT the warehouse (and give freed blocks back); its size before and after."""
    from warehouse.db import connect_writer
    from warehouse.size import compact

    con = connect_writer(settings.db, maintenance=True)
    try:
        result = compact(con, settings.db)
    finally:
        con.close()
    log.info("warehouse %s compacted: %s", settings.db, result)
    return result


def export_window(
    settings: Settings, start: datetime, end: datetime, folder: Path, monthly: bool = False
) -> dict[str, int]:
    """Copy rows of ``[start, end)`` of each exported table to ``folder/<table>.parquet`` (or,
    ``monthly``, to ``folder/<table>/year=YYYY/month=M/*.parquet``); rows per table."""
    from warehouse.db import connect_reader
    from warehouse.export import export_tables

    con = connect_reader(settings.db, sandbox=False)  # COPY … TO needs file access
    try:
        return export_tables(con, folder, start, end, monthly=monthly)
    finally:
        con.close()
