"""Weekly housekeeping of staging and warehouse (what ``pantau_maintenance`` runs).

- :func:`cleanup_staging`: in runs that were loaded completely (every outlet staged for the run
  has its ``crawl_runs`` row), remove what the load no longer needs: half-written ``.part`` files
  of crashed crawls and runs that staged no pages at all. Staged pages of loaded runs stay: they
  are the raw archive ``pantau reprocess`` reads. Runs not (fully) loaded are never touched.
- :func:`checkpoint`: ``CHECKPOINT`` the warehouse (folds the WAL into the file).
- :func:`export_parquet`: copy one window's articles, versions and crawl runs to Parquet files.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pantau.settings import Settings

log = logging.getLogger(__name__)

STATS_SUFFIX = ".stats.json"


@dataclass
class CleanupSummary:
    """What :func:`cleanup_staging` did."""

    runs_seen: int = 0
    runs_loaded: int = 0
    runs_kept_unloaded: list[str] = field(default_factory=list)
    removed_files: int = 0
    removed_runs: int = 0
    freed_bytes: int = 0


def _loaded_outlets(settings: Settings) -> dict[str, set[str]]:
    """run folder name -> outlets with a crawl_runs row (read-only, no write lock)."""
    if not settings.db.exists():
        return {}
    from pantau.staging import run_dir_name
    from warehouse.db import connect_reader

    con = connect_reader(settings.db)
    try:
        rows = con.execute("SELECT run_id, source FROM crawl_runs").fetchall()
    finally:
        con.close()
    loaded: dict[str, set[str]] = {}
    for run_id, source in rows:
        loaded.setdefault(run_dir_name(run_id), set()).add(source)
    return loaded


def _staged_outlets(run: Path) -> set[str]:
    return {p.name[: -len(STATS_SUFFIX)] for p in run.glob(f"*{STATS_SUFFIX}")}


def cleanup_staging(settings: Settings) -> CleanupSummary:
    """Tidy staging folders of completely loaded runs (see the module docstring)."""
    summary = CleanupSummary()
    if not settings.staging.is_dir():
        return summary
    loaded = _loaded_outlets(settings)
    for run in sorted(p for p in settings.staging.iterdir()
                      if p.is_dir() and not p.name.startswith(".")):  # .crawlcache etc.
        summary.runs_seen += 1
        staged = _staged_outlets(run)
        if not staged or not staged <= loaded.get(run.name, set()):
            summary.runs_kept_unloaded.append(run.name)
            continue
        summary.runs_loaded += 1
        for part in run.glob("*.part"):
            summary.freed_bytes += part.stat().st_size
            part.unlink()
            summary.removed_files += 1
        if not any(run.glob("*.jsonl.gz")):  # nothing archived: the folder has no further use
            summary.freed_bytes += sum(p.stat().st_size for p in run.rglob("*") if p.is_file())
            shutil.rmtree(run)
            summary.removed_runs += 1
    log.info("staging cleanup: %d runs, %d loaded, %d kept (not fully loaded), %d files and "
             "%d runs removed, %d bytes freed", summary.runs_seen, summary.runs_loaded,
             len(summary.runs_kept_unloaded), summary.removed_files, summary.removed_runs,
             summary.freed_bytes)
    return summary


def checkpoint(settings: Settings) -> None:
    """Write the warehouse's WAL into the database file (needs the writer's lock)."""
    from warehouse.db import connect_writer

    con = connect_writer(settings.db)
    try:
        con.execute("CHECKPOINT")
    finally:
        con.close()
    log.info("checkpointed %s", settings.db)


# table -> (timestamp column that places a row in a window)
EXPORTS = {
    "articles": "last_seen_at",
    "article_versions": "first_seen_at",
    "crawl_runs": "loaded_at",
}


def export_parquet(
    settings: Settings, start: datetime, end: datetime, folder: Path
) -> dict[str, int]:
    """Copy rows of ``[start, end)`` of each exported table to ``folder/<table>.parquet``.

    Rows per table are returned; a table the warehouse lacks is skipped with a warning.
    """
    from warehouse.db import connect_reader

    folder.mkdir(parents=True, exist_ok=True)
    con = connect_reader(settings.db, sandbox=False)  # COPY … TO needs file access
    counts: dict[str, int] = {}
    try:
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()}
        for table, column in EXPORTS.items():
            if table not in tables:
                log.warning("export: no table %s in %s, skipped", table, settings.db)
                continue
            target = folder / f"{table}.parquet"
            query = (f"SELECT * FROM {table} WHERE {column} >= $start AND {column} < $end "
                     f"ORDER BY {column}")
            escaped = str(target).replace("'", "''")
            con.execute(f"COPY ({query}) TO '{escaped}' (FORMAT parquet, COMPRESSION zstd)",
                        {"start": start, "end": end})
            row = con.execute("SELECT count(*) FROM read_parquet($p)", {"p": str(target)})
            counts[table] = int(row.fetchone()[0])  # type: ignore[index]
    finally:
        con.close()
    log.info("exported %s to %s", ", ".join(f"{t}: {n} rows" for t, n in counts.items()), folder)
    return counts
