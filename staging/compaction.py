"""Weekly compaction of the raw archive (what ``pantau compact`` and ``pantau_maintenance`` run).

:func:`compact_archive` folds loaded runs older than ``PANTAU_COMPACT_AFTER_DAYS`` (7) into
one raw archive per ISO week, ``<staging>/archive/2026-W47.jsonl.gz`` (format: see
:mod:`staging.layout`), points the warehouse's ``archive`` columns at it, then deletes the runs'
folders. Every record is kept (page, error, crawl log; the stats go into the header) except a
page fetched again with identical content in the same week, kept once as its latest fetch, so
``pantau reprocess``, which re-extracts each URL's latest fetch, reads the same pages as before.
Crash-safe in three steps: (1) each week file is written to ``.part``, fsynced, read back and
renamed over the old one (its header names the runs inside, so a rerun never adds a run twice);
(2) the warehouse paths move in ONE transaction; (3) only then the run folders go (renamed to
a hidden ``.compacted-*`` first, so a half-deleted folder never looks like a run). A crash
anywhere leaves every archive path naming an existing file; a rerun finishes the work.

The warehouse side (which runs are loaded, moving its archive paths) comes in as an
:class:`ArchiveCatalog`, so this package never imports ``warehouse``.
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
from typing import Any, Protocol

from staging.layout import (
    DamagedFile,
    archive_dir,
    list_runs,
    read_stats,
    week_archive_path,
    week_of,
)
from staging.locks import archive_lock
from staging.reader import iter_records, read_archive_header
from staging.writer import ArchiveWriter, fsync_dir

log = logging.getLogger(__name__)

STATS_SUFFIX = ".stats.json"


def staged_outlets(run: Path) -> set[str]:
    """The outlets whose crawl into the run folder finished (stats file present)."""
    return {p.name[: -len(STATS_SUFFIX)] for p in run.glob(f"*{STATS_SUFFIX}")}


# -- compaction of the raw archive ----------------------------------------------------------

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
    staging: Path, loaded: dict[str, set[str]], cutoff: datetime, summary: CompactionSummary
) -> list[_Run]:
    runs = []
    for folder in list_runs(staging):
        summary.runs_seen += 1
        staged = staged_outlets(folder)
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


class ArchiveCatalog(Protocol):
    """What compaction needs from the store that records archive paths (the warehouse)."""

    def loaded_outlets(self) -> dict[str, set[str]]:
        """Run folder name -> the outlets loaded from it."""
        ...

    def move_archive_paths(self, targets: dict[tuple[str, str], str]) -> int:
        """In ONE transaction, every path ``.../<run folder>/<file>`` named by a key of
        ``targets`` becomes its value; the number of rows changed."""
        ...


def compact_archive(
    staging: Path,
    catalog: ArchiveCatalog,
    after_days: float,
    now: datetime | None = None,
    lock_wait_seconds: float = 60.0,
) -> CompactionSummary:
    """Fold loaded runs crawled ``after_days`` or longer ago into weekly archives (see the
    module docstring)."""
    summary = CompactionSummary()
    staging = Path(staging)
    if not staging.is_dir():
        return summary
    now = now or datetime.now(UTC)
    with archive_lock(staging, exclusive=True, wait_seconds=lock_wait_seconds):
        _tidy_leftovers(staging)
        runs = _compactable_runs(staging, catalog.loaded_outlets(),
                                 now - timedelta(days=after_days), summary)
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
            targets = {(run.folder.name, f"{source}.jsonl.gz"): str(target)
                       for run, target in moved for source in run.outlets}
            summary.archive_paths_moved = catalog.move_archive_paths(targets)
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
