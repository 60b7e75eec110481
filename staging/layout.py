"""The staging area between crawl and load: raw pages + response metadata, one folder per run.

This module is its format: where files live and what their names mean. The records are typed in
:mod:`staging.records`, written by :mod:`staging.writer`, read by :mod:`staging.reader`,
folded into weekly archives by :mod:`staging.compaction`; locks are in :mod:`staging.locks`.

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
file is written the same way. One crawl of a (run, outlet) at a time:
:func:`staging.locks.crawl_lock`. A staging file that is damaged anyway (a disk fault, a foreign
writer) is repaired by the loader: the readable records are kept and the original goes to
``<staging>/.quarantine/<run>/`` (:func:`staging.reader.quarantine`).
Staging files are the raw-page archive: ``pantau reprocess`` reads them again.

Weekly compaction (:mod:`staging.compaction`) folds loaded runs older than a
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

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.errors import PantauError

_UNSAFE = re.compile(r"[^A-Za-z0-9._+-]")
#: ``<staging>/archive/``: the compacted weeks (never a run folder).
ARCHIVE_FOLDER = "archive"
ARCHIVE_FORMAT = 1
_WEEK_FILE = re.compile(r"^(\d{4})-W(\d{2})\.jsonl\.gz$")
LOCK_FILE = ".archive.lock"
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


class DamagedFile(PantauError):
    """A staging or archive file cannot be read to its end."""


class ArchiveBusy(PantauError):
    """Another process holds the raw archive's lock."""


class StagingBusy(PantauError):
    """Another process is crawling the same outlet into the same run."""


def read_stats(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(Path(path).read_text("utf-8"))
    return data


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
