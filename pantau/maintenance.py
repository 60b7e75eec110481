"""Weekly housekeeping of staging and warehouse (what ``pantau_maintenance`` runs).

- :func:`cleanup_staging`: in runs that were loaded completely (every outlet staged for the run
  has its ``crawl_runs`` row), remove what the load no longer needs: half-written ``.part`` files
  of crashed crawls and runs that staged no pages at all. Staged pages of loaded runs stay: they
  are the raw archive ``pantau reprocess`` reads. Runs not (fully) loaded are never touched.
- :func:`compact_archive`: fold loaded runs older than ``PANTAU_COMPACT_AFTER_DAYS`` (7) into
  one raw archive per ISO week, ``<staging>/archive/2026-W47.jsonl.gz`` (format: see
  :mod:`core.staging`), point the warehouse's ``archive`` columns at it, then delete the runs'
  folders. Every record is kept (page, error, crawl log; the stats go into the header) except a
  page fetched again with identical content in the same week, kept once as its latest fetch, so
  ``pantau reprocess``, which re-extracts each URL's latest fetch, reads the same pages as before.
  Crash-safe in three steps: (1) each week file is written to ``.part``, fsynced, read back and
  renamed over the old one (its header names the runs inside, so a rerun never adds a run twice);
  (2) the warehouse paths move in ONE transaction; (3) only then the run folders go (renamed to
  a hidden ``.compacted-*`` first, so a half-deleted folder never looks like a run). A crash
  anywhere leaves every archive path naming an existing file; a rerun finishes the work.
- :func:`checkpoint`: ``CHECKPOINT`` the warehouse (folds the WAL into the file).
- :func:`export_parquet`: copy one window's articles, versions and crawl runs to Parquet files.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from core.settings import Settings
from core.staging import (
    ArchiveWriter,
    DamagedFile,
    archive_dir,
    archive_lock,
    fsync_dir,
    iter_records,
    list_runs,
    read_archive_header,
    read_stats,
    week_archive_path,
    week_of,
)

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
    from warehouse.db import warehouse_exists

    if not warehouse_exists(settings.db):
        return {}
    from core.staging import run_dir_name
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
    for run in list_runs(settings.staging):  # not .crawlcache, not the compacted archive
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


# -- compaction of the raw archive ----------------------------------------------------------

#: Warehouse columns that name the staging file holding a raw page.
ARCHIVE_COLUMNS = ("pages", "articles", "article_versions")
TRASH_PREFIX = ".compacted-"


@dataclass
class CompactionSummary:
    """What :func:`compact_archive` did. ``*_before``: the files it removed or replaced (run
    folders, a week archive it rewrote); ``*_after``: the week archives it wrote."""

    runs_seen: int = 0
    runs_compacted: list[str] = field(default_factory=list)
    runs_too_recent: int = 0
    runs_kept_unloaded: list[str] = field(default_factory=list)
    runs_skipped: list[str] = field(default_factory=list)
    weeks: list[str] = field(default_factory=list)
    files_before: int = 0
    bytes_before: int = 0
    files_after: int = 0
    bytes_after: int = 0
    records: int = 0
    duplicates_dropped: int = 0
    archive_paths_moved: int = 0


@dataclass
class _Run:
    folder: Path
    run_id: str
    started_at: datetime
    outlets: dict[str, dict[str, Any]]

    def files(self) -> list[Path]:
        return sorted(p for p in self.folder.rglob("*") if p.is_file())


def _started_at(folder: Path, outlets: dict[str, dict[str, Any]]) -> datetime:
    """When the run's crawl started (earliest outlet); the folder's mtime if no stats say."""
    moments = []
    for stats in outlets.values():
        try:
            moments.append(datetime.fromisoformat(str(stats.get("started_at"))))
        except ValueError:
            continue
    moments = [m if m.tzinfo else m.replace(tzinfo=UTC) for m in moments]
    return min(moments) if moments else datetime.fromtimestamp(folder.stat().st_mtime, UTC)


def _unexpected_files(folder: Path, staged: set[str]) -> list[str]:
    """Files compaction would not know how to keep (only loaded outlets' files, and .part
    leftovers of crashed writes, which cleanup_staging deletes anyway)."""
    known = {f"{s}{suffix}" for s in staged for suffix in (".jsonl.gz", STATS_SUFFIX, ".log")}
    return sorted(p.name for p in folder.iterdir()
                  if p.name not in known and not (p.is_file() and p.name.endswith(".part")))


def _compactable_runs(
    settings: Settings, cutoff: datetime, summary: CompactionSummary
) -> list[_Run]:
    loaded = _loaded_outlets(settings)
    runs = []
    for folder in list_runs(settings.staging):
        summary.runs_seen += 1
        staged = _staged_outlets(folder)
        if not staged or not staged <= loaded.get(folder.name, set()):
            summary.runs_kept_unloaded.append(folder.name)
            continue
        unexpected = _unexpected_files(folder, staged)
        if unexpected:
            log.warning("compaction: %s has files it does not know (%s); run left as it is",
                        folder, ", ".join(unexpected))
            summary.runs_skipped.append(folder.name)
            continue
        outlets = {s: read_stats(folder / f"{s}{STATS_SUFFIX}") for s in sorted(staged)}
        run_id = next((str(st["run_id"]) for st in outlets.values() if st.get("run_id")),
                      folder.name)
        started = _started_at(folder, outlets)
        if started > cutoff:
            summary.runs_too_recent += 1
            continue
        runs.append(_Run(folder, run_id, started, outlets))
    return runs


def _page_key(record: dict[str, Any]) -> bytes:
    """Identical fetches of one page share this key (URL, final URL, status, body)."""
    digest = hashlib.sha256()
    for part in (record.get("url"), record.get("final_url"), record.get("status"),
                 record.get("html")):
        digest.update(repr(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.digest()


def _week_records(existing: Path | None, runs: list[_Run]) -> Iterator[dict[str, Any]]:
    """The records of a week archive: those already in it, then the new runs' outlet by outlet
    (an outlet's pages look alike and compress better side by side), each outlet's runs oldest
    first, then their crawl logs. The same order on every call: compaction reads them twice."""
    if existing is not None:
        for record in iter_records(existing, strict=True):
            if record.get("type") != "archive":
                yield record
    outlets = sorted({s for run in runs for s in run.outlets})
    for source in outlets:
        for run in (r for r in runs if source in r.outlets):
            records = run.folder / f"{source}.jsonl.gz"
            if records.exists():  # the loader read it the same (a torn tail is skipped)
                for record in iter_records(records):
                    yield {**record, "run_id": record.get("run_id") or run.run_id}
    for source in outlets:  # the crawl logs last, apart from the pages
        for run in (r for r in runs if source in r.outlets):
            crawl_log = run.folder / f"{source}.log"
            if crawl_log.exists():
                yield {"type": "log", "run_id": run.run_id, "source": source,
                       "text": crawl_log.read_text("utf-8", errors="replace")}


def _latest_copies(records: Iterator[dict[str, Any]]) -> tuple[dict[bytes, int],
                                                              dict[bytes, list[dict[str, Any]]]]:
    """Per identical page: the position of its latest fetch, and all its fetches (including
    those an earlier compaction already folded into ``duplicates``)."""
    latest: dict[bytes, tuple[str, int]] = {}
    fetches: dict[bytes, list[dict[str, Any]]] = {}
    for position, record in enumerate(records):
        if record.get("type") != "page":
            continue
        key = _page_key(record)
        fetched = str(record.get("fetched_at"))
        if key not in latest or fetched >= latest[key][0]:
            latest[key] = (fetched, position)
        seen = fetches.setdefault(key, [])
        seen.append({"run_id": record.get("run_id"), "fetched_at": fetched})
        seen.extend(record.get("duplicates") or [])
    return {k: v[1] for k, v in latest.items()}, fetches


def _write_week(
    staging: Path, week: str, runs: list[_Run], now: datetime, summary: CompactionSummary
) -> Path:
    """Step 1: the week archive with ``runs`` in it, written atomically; its path."""
    target = week_archive_path(staging, week)
    header = read_archive_header(target) if target.exists() else None
    inside = {r["folder"] for r in header["runs"]} if header else set()
    new = [r for r in runs if r.folder.name not in inside]
    if not new:  # written by an earlier, interrupted compaction: steps 2 and 3 remain
        return target
    existing = target if header else None
    keep, fetches = _latest_copies(_week_records(existing, new))
    runs_meta = [*(header["runs"] if header else []), *(
        {"run_id": r.run_id, "folder": r.folder.name, "started_at": r.started_at.isoformat(),
         "outlets": r.outlets} for r in new)]
    writer = ArchiveWriter(target, {"week": week, "written_at": now.isoformat(),
                                    "runs": runs_meta})
    dropped = 0
    try:
        for position, record in enumerate(_week_records(existing, new)):
            if record.get("type") == "page":
                key = _page_key(record)
                if keep[key] != position:
                    dropped += 1
                    continue
                others = {(str(f["run_id"]), str(f["fetched_at"])) for f in fetches[key]}
                others.discard((str(record.get("run_id")), str(record.get("fetched_at"))))
                record = {k: v for k, v in record.items() if k != "duplicates"}
                if others:
                    record["duplicates"] = [{"run_id": r, "fetched_at": f}
                                            for r, f in sorted(others)]
            writer.write(record)
        part = writer.close()
        _verify(part, week, writer.count)
    except BaseException:
        writer.abandon()
        raise
    if existing is not None:
        summary.files_before += 1
        summary.bytes_before += existing.stat().st_size
    writer.publish()
    summary.files_after += 1
    summary.bytes_after += target.stat().st_size
    summary.records += writer.count
    summary.duplicates_dropped += dropped
    log.info("compaction: %s now holds %d runs (%d added), %d records, %d identical page "
             "fetches dropped, %d bytes", target, len(runs_meta), len(new), writer.count,
             dropped, target.stat().st_size)
    return target


def _verify(part: Path, week: str, count: int) -> None:
    """Read the written archive back: header and record count must match what was written."""
    header = read_archive_header(part)
    got = sum(1 for r in iter_records(part, strict=True) if r.get("type") != "archive")
    if header.get("week") != week or got != count:
        raise DamagedFile(f"{part}: read back {got} records of week {header.get('week')}, "
                          f"wrote {count} of {week}; the old files stay")


def _move_archive_paths(settings: Settings, moved: list[tuple[_Run, Path]]) -> int:
    """Step 2: in ONE transaction, every warehouse path naming a compacted run's file names
    its week archive instead. Matched by ``<run folder>/<file>``, so paths written with another
    spelling of the staging folder (relative, absolute) move too. Rows changed are returned."""
    from warehouse.db import connect_writer, transaction

    targets = {(run.folder.name, f"{source}.jsonl.gz"): str(target)
               for run, target in moved for source in run.outlets}
    con = connect_writer(settings.db)
    changed = 0
    try:
        with transaction(con):
            union = " UNION ".join(f"SELECT DISTINCT archive FROM {t} WHERE archive IS NOT NULL"
                                   for t in ARCHIVE_COLUMNS)
            pairs = []
            for (value,) in con.execute(union).fetchall():
                path = Path(value)
                new = targets.get((path.parent.name, path.name))
                if new is not None and new != value:
                    pairs.append((value, new))
            if pairs:
                con.execute("CREATE OR REPLACE TEMP TABLE archive_moves "
                            "(old VARCHAR PRIMARY KEY, new VARCHAR NOT NULL)")
                con.executemany("INSERT INTO archive_moves VALUES (?, ?)", pairs)
                for table in ARCHIVE_COLUMNS:
                    row = con.execute(f"UPDATE {table} AS t SET archive = m.new "
                                      "FROM archive_moves m WHERE t.archive = m.old").fetchone()
                    changed += int(row[0]) if row else 0
                con.execute("DROP TABLE archive_moves")
    finally:
        con.close()
    return changed


def _remove_run(staging: Path, run: _Run) -> None:
    """Step 3: the run folder goes (renamed out of the runs first, then deleted)."""
    trash = staging / f"{TRASH_PREFIX}{run.folder.name}"
    if trash.exists():
        shutil.rmtree(trash)
    os.replace(run.folder, trash)
    fsync_dir(staging)
    shutil.rmtree(trash)


def _tidy_leftovers(staging: Path) -> None:
    """What an interrupted compaction left: half-deleted folders of runs whose paths had moved
    already, and unpublished ``.part`` week files."""
    for trash in staging.glob(f"{TRASH_PREFIX}*"):
        if trash.is_dir():
            shutil.rmtree(trash)
    folder = archive_dir(staging)
    if folder.is_dir():
        for part in folder.glob("*.part"):
            part.unlink()


def compact_archive(
    settings: Settings, now: datetime | None = None, after_days: float | None = None
) -> CompactionSummary:
    """Fold loaded runs crawled ``after_days`` or longer ago (default
    ``settings.compact_after_days``) into weekly archives (see the module docstring)."""
    from warehouse.db import lock_wait_seconds

    summary = CompactionSummary()
    staging = settings.staging
    if not staging.is_dir():
        return summary
    now = now or datetime.now(UTC)
    days = settings.compact_after_days if after_days is None else after_days
    with archive_lock(staging, exclusive=True, wait_seconds=lock_wait_seconds()):
        _tidy_leftovers(staging)
        runs = _compactable_runs(settings, now - timedelta(days=days), summary)
        by_week: dict[str, list[_Run]] = {}
        for run in sorted(runs, key=lambda r: (r.started_at, r.folder.name)):
            by_week.setdefault(week_of(run.started_at), []).append(run)
        moved: list[tuple[_Run, Path]] = []
        for week, week_runs in sorted(by_week.items()):
            try:
                target = _write_week(staging, week, week_runs, now, summary)
            except DamagedFile as exc:
                log.error("compaction of %s skipped: %s", week, exc)
                summary.runs_skipped.extend(r.folder.name for r in week_runs)
                continue
            summary.weeks.append(week)
            moved.extend((run, target) for run in week_runs)
        if moved:
            summary.archive_paths_moved = _move_archive_paths(settings, moved)
        for run, _ in moved:
            for path in run.files():
                summary.files_before += 1
                summary.bytes_before += path.stat().st_size
            _remove_run(staging, run)
            summary.runs_compacted.append(run.folder.name)
    log.info("compaction: %d runs into %s (%d too recent, %d not loaded, %d skipped); "
             "%d files / %d bytes before, %d files / %d bytes after; %d identical page fetches "
             "dropped; %d warehouse archive paths moved", len(summary.runs_compacted),
             ", ".join(summary.weeks) or "no week", summary.runs_too_recent,
             len(summary.runs_kept_unloaded), len(summary.runs_skipped), summary.files_before,
             summary.bytes_before, summary.files_after, summary.bytes_after,
             summary.duplicates_dropped, summary.archive_paths_moved)
    return summary


def missing_archives(settings: Settings) -> list[str]:
    """Warehouse archive paths that name no existing file (should always be empty)."""
    from warehouse.db import connect_reader, warehouse_exists

    if not warehouse_exists(settings.db):
        return []
    con = connect_reader(settings.db)
    try:
        union = " UNION ".join(f"SELECT DISTINCT archive FROM {t} WHERE archive IS NOT NULL"
                               for t in ARCHIVE_COLUMNS)
        values = [r[0] for r in con.execute(union).fetchall()]
    finally:
        con.close()
    return sorted(v for v in values if not Path(v).is_file())


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
