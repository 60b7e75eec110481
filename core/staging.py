"""The staging area between crawl and load: raw pages + response metadata, one folder per run.

Layout::

    <staging>/<run_id>/<source>.jsonl.gz    one JSON record per line (see below)
    <staging>/<run_id>/<source>.stats.json  crawl counters, written last: its presence marks the
                                            outlet's crawl as finished and the file complete

Records (``type`` says which):

- ``page``: ``source, url`` (canonical requested URL), ``final_url``, ``status``, ``headers``
  (lower-case names), ``fetched_at`` (ISO 8601 UTC), ``encoding``, ``html``, ``discovered_via``
  (feed | sitemap | listing), ``hints`` (what discovery knew: lastmod, title, …).
- ``error``: ``source, url, status`` (or null), ``error`` (one line), ``fetched_at``.

Crawlers write ``<source>.jsonl.gz.<pid>-<random>.part`` (a name of their own, so two writers
never share one) and rename it when done, so the loader never sees a half-written file; the stats
file is written the same way. One crawl of a (run, outlet) at a time: :func:`crawl_lock`. A staging
file that is damaged anyway (a disk fault, a foreign writer) is repaired by the loader: the readable
records are kept and the original goes to ``<staging>/.quarantine/<run>/`` (:func:`quarantine`).
Staging files are the raw-page archive: ``pantau reprocess`` reads them again.

Weekly compaction (:func:`pantau.maintenance.compact_archive`) folds loaded runs older than a
week into one file per ISO week of their crawl (UTC)::

    <staging>/archive/<YYYY>-W<ww>.jsonl.gz   first line: the ``archive`` header (format, week,
                                              the runs inside with their stats), then the runs'
                                              ``page`` and ``error`` records (each with its
                                              ``run_id``) and ``log`` records (crawl logs)

A page fetched again with identical content in the same week is kept once, as its latest fetch;
``duplicates`` lists the dropped fetches (``run_id``, ``fetched_at``). The warehouse's ``archive``
columns then name the week file. ``archive`` is therefore no run id; hidden folders (``.…``) are
no runs either.
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import json
import logging
import os
import re
import secrets
import shutil
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from core.errors import PantauError

log = logging.getLogger(__name__)

_UNSAFE = re.compile(r"[^A-Za-z0-9._+-]")
#: ``<staging>/archive/``: the compacted weeks (never a run folder).
ARCHIVE_FOLDER = "archive"
ARCHIVE_FORMAT = 1
_WEEK_FILE = re.compile(r"^(\d{4})-W(\d{2})\.jsonl\.gz$")
_LOCK_FILE = ".archive.lock"
#: ``<staging>/.quarantine/<run>/``: damaged staging files, kept as they were found.
QUARANTINE_FOLDER = ".quarantine"


def run_dir_name(run_id: str) -> str:
    """A file-system-safe folder name for a run id (Airflow run ids contain ':')."""
    return _UNSAFE.sub("_", run_id)


def run_dir(staging: Path, run_id: str) -> Path:
    name = run_dir_name(run_id)
    if name == ARCHIVE_FOLDER:
        raise ValueError(f"run id {run_id!r} is reserved (<staging>/{ARCHIVE_FOLDER}/ holds the "
                         "compacted archive); choose another run id")
    return Path(staging) / name


def records_path(staging: Path, run_id: str, source: str) -> Path:
    return run_dir(staging, run_id) / f"{source}.jsonl.gz"


def stats_path(staging: Path, run_id: str, source: str) -> Path:
    return run_dir(staging, run_id) / f"{source}.stats.json"


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


def read_stats(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(Path(path).read_text("utf-8"))
    return data


class DamagedFile(PantauError):
    """A staging or archive file cannot be read to its end."""


class ArchiveBusy(PantauError):
    """Another process holds the raw archive's lock."""


class StagingBusy(PantauError):
    """Another process is crawling the same outlet into the same run."""


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


def quarantine(path: Path, why: str) -> list[dict[str, Any]]:
    """Repair a damaged staging file: keep the original in :func:`quarantine_path`, replace it
    with its readable records (atomically), and return those records.

    Crash-safe: the original is copied (not moved) first, so a kill at any moment leaves either
    the damaged original (repaired again on the next load) or the repaired file in place.
    """
    path = Path(path)
    kept = quarantine_path(path)
    kept.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(path, kept)
    records = list(iter_records(path))
    writer = _JsonLinesPart(path, private_part=True)
    try:
        for record in records:
            writer.write(record)
        writer._close_part()
        os.replace(writer.part_path, path)
        fsync_dir(path.parent)
    finally:
        writer.part_path.unlink(missing_ok=True)
    log.error("%s was damaged (%s): %d readable records kept and loaded; the damaged original "
              "is in %s (delete it once you have looked at it)", path, why, len(records), kept)
    return records


def read_staged(path: Path) -> list[dict[str, Any]]:
    """Every record of a staging file; a damaged file is repaired first (:func:`quarantine`)
    instead of failing this and every later load."""
    try:
        return list(iter_records(path, strict=True))
    except DamagedFile as exc:
        return quarantine(path, str(exc))


@contextlib.contextmanager
def crawl_lock(staging: Path, run_id: str, source: str) -> Iterator[None]:
    """Hold ``<staging>/.locks/<source>.crawl.lock`` while crawling ``source`` into ``run_id``.

    One process crawls an outlet at a time: a second crawl (of the same run, which would
    write the same staging files, or of another one, which would fetch the same pages twice)
    raises :class:`StagingBusy` at once, naming the holder. The lock goes with its holder's
    process, also on ``kill -9``.
    """
    folder = Path(staging) / ".locks"
    folder.mkdir(parents=True, exist_ok=True)
    fh = open(folder / f"{run_dir_name(source)}.crawl.lock", "a+")  # noqa: SIM115 - closed below
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown"
            raise StagingBusy(
                f"outlet {source!r} is being crawled by another process ({holder}); run "
                f"{run_id!r} did not start it again. Wait for that crawl to finish (or stop it) "
                "and crawl again") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}, run {run_id}")
        fh.flush()
        yield
    finally:
        fh.close()  # releases the lock


@dataclass(frozen=True)
class StagedOutlet:
    """One finished outlet crawl in a run: its records file (may be absent) and stats."""

    run_id: str
    source: str
    records: Path | None
    stats: dict[str, Any]


def finished_outlets(staging: Path, run_id: str) -> list[StagedOutlet]:
    """The outlets of a run whose crawl has finished (stats file present), sorted by name."""
    folder = run_dir(staging, run_id)
    if not folder.is_dir():
        return []
    found = []
    for stats_file in sorted(folder.glob("*.stats.json")):
        source = stats_file.name[: -len(".stats.json")]
        records = folder / f"{source}.jsonl.gz"
        found.append(
            StagedOutlet(
                run_id=run_id,
                source=source,
                records=records if records.exists() else None,
                stats=read_stats(stats_file),
            )
        )
    return found


def list_runs(staging: Path) -> list[Path]:
    """Every run folder in the staging area, oldest name first.

    Hidden folders are not runs: the crawler keeps its HTTP cache of feeds and sitemaps in
    ``<staging>/.crawlcache/`` (see ``spiders.middlewares.discovery_cache``).
    """
    staging = Path(staging)
    if not staging.is_dir():
        return []
    return sorted(p for p in staging.iterdir()
                  if p.is_dir() and not p.name.startswith(".") and p.name != ARCHIVE_FOLDER)


# -- the compacted archive ------------------------------------------------------------------


def archive_dir(staging: Path) -> Path:
    return Path(staging) / ARCHIVE_FOLDER


def week_of(moment: datetime) -> str:
    """``2026-W47``: the ISO week of ``moment`` in UTC (naive moments are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    year, week, _ = moment.astimezone(UTC).isocalendar()
    return f"{year}-W{week:02d}"


def week_archive_path(staging: Path, week: str) -> Path:
    path = archive_dir(staging) / f"{week}.jsonl.gz"
    if not _WEEK_FILE.match(path.name):
        raise ValueError(f"{week!r} is not an ISO week like 2026-W47")
    return path


def archive_files(staging: Path) -> list[Path]:
    """The compacted week archives, oldest week first."""
    folder = archive_dir(staging)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and _WEEK_FILE.match(p.name))


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


@contextlib.contextmanager
def archive_lock(staging: Path, exclusive: bool, wait_seconds: float) -> Iterator[None]:
    """Hold ``<staging>/.archive.lock``: exclusive for compaction, shared for readers that write
    archive paths (reprocess), so no reprocess records a run file compaction is deleting."""
    staging = Path(staging)
    staging.mkdir(parents=True, exist_ok=True)
    fh = open(staging / _LOCK_FILE, "a+")  # noqa: SIM115 - closed below
    try:
        mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fh.fileno(), mode)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    what = "a reprocess or another compaction" if exclusive else "a compaction"
                    raise ArchiveBusy(
                        f"{staging}: the raw archive is busy ({what} is running); waited "
                        f"{wait_seconds:.0f}s, try again when it has finished") from None
                time.sleep(0.2)
        yield
    finally:
        fh.close()  # releases the lock
