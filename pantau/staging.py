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

Crawlers write ``<source>.jsonl.gz.part`` and rename it when done, so the loader never sees a
half-written file. Staging files are the raw-page archive: ``pantau reprocess`` reads them again.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

log = logging.getLogger(__name__)

_UNSAFE = re.compile(r"[^A-Za-z0-9._+-]")


def run_dir_name(run_id: str) -> str:
    """A file-system-safe folder name for a run id (Airflow run ids contain ':')."""
    return _UNSAFE.sub("_", run_id)


def run_dir(staging: Path, run_id: str) -> Path:
    return Path(staging) / run_dir_name(run_id)


def records_path(staging: Path, run_id: str, source: str) -> Path:
    return run_dir(staging, run_id) / f"{source}.jsonl.gz"


def stats_path(staging: Path, run_id: str, source: str) -> Path:
    return run_dir(staging, run_id) / f"{source}.stats.json"


class StagingWriter:
    """Appends records for one (run, source); ``close()`` publishes the file atomically."""

    def __init__(self, staging: Path, run_id: str, source: str) -> None:
        self.final_path = records_path(staging, run_id, source)
        self.final_path.parent.mkdir(parents=True, exist_ok=True)
        self.part_path = self.final_path.with_name(self.final_path.name + ".part")
        self._raw: IO[bytes] = open(self.part_path, "wb")  # noqa: SIM115 - closed in close()
        self._gz = gzip.GzipFile(fileobj=self._raw, mode="wb", compresslevel=6)
        self.count = 0

    def write(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
        self._gz.write(line.encode("utf-8"))
        self.count += 1

    def close(self) -> Path:
        self._gz.close()
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()
        os.replace(self.part_path, self.final_path)
        return self.final_path


def write_stats(staging: Path, run_id: str, source: str, stats: dict[str, Any]) -> Path:
    """Write the stats file (atomically); this marks the outlet's crawl as finished."""
    path = stats_path(staging, run_id, source)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps(stats, ensure_ascii=False, indent=1, sort_keys=True), "utf-8")
    os.replace(tmp, path)
    return path


def read_stats(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(Path(path).read_text("utf-8"))
    return data


def iter_records(path: Path) -> Iterator[dict[str, Any]]:
    """Yield the records of one staging file; a truncated tail is logged and skipped."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for number, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    log.warning("%s:%d: skipping a record that is not valid JSON", path, number)
    except (EOFError, gzip.BadGzipFile, OSError) as exc:
        log.warning("%s: staging file is damaged after some records (%s)", path, exc)


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
    return sorted(p for p in staging.iterdir() if p.is_dir() and not p.name.startswith("."))
