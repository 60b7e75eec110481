"""Run one outlet's crawl in a subprocess and return its stats: what the ``crawl`` step calls.

Each crawl gets its own process (``spiders.crawl_one``, forked ready-made from a fork server or
a fresh interpreter: ``spiders.launcher``): the Twisted reactor cannot be restarted, and
Airflow's ``dags test`` runs several tasks in one process. A bad outlet
never raises here: a crash, a kill or a timeout of the subprocess ends in a stats file with
``crawl_error`` set, like any other outlet failure. Only wrong arguments raise.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from core.config import Source
from spiders.crawl_one import log_path
from spiders.launcher import run_crawl_process
from spiders.recheck import RecheckTarget, write_targets
from spiders.records import utc_now
from staging import (
    crawl_lock,
    iter_records,
    read_stats,
    records_path,
    run_dir,
    stats_path,
    write_stats,
)

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
KILL_GRACE_SECONDS = 30.0
CACHE_MAX_AGE_DAYS = 30.0  # cached discovery documents not stored again for this long go
CACHE_FOLDER = ".crawlcache"  # hidden: staging.list_runs skips it


def _child_env() -> dict[str, str]:
    """The crawl subprocess's environment: the repo importable, and bytecode cached.

    With ``PYTHONDONTWRITEBYTECODE`` set, every crawl process would compile Scrapy, Twisted and
    lxml's Python parts from source again: seconds of CPU per outlet. The crawler's processes
    then cache bytecode under ``$XDG_CACHE_HOME/pantau/pycache`` (default ``~/.cache``), never
    next to the sources.
    """
    env = dict(os.environ)
    path = env.get("PYTHONPATH", "")
    env["PYTHONPATH"] = str(REPO_ROOT) + (os.pathsep + path if path else "")
    if env.pop("PYTHONDONTWRITEBYTECODE", None) is not None:
        cache_home = Path(env.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        env.setdefault("PYTHONPYCACHEPREFIX", str(cache_home / "pantau" / "pycache"))
    return env


def _salvage_records(staging: Path, run_id: str, source: str) -> tuple[int, int]:
    """After a killed crawl: publish what was written (the reader skips a torn tail)."""
    final = records_path(staging, run_id, source)
    parts = sorted(final.parent.glob(f"{final.name}*.part"), key=lambda p: p.stat().st_mtime)
    if not parts:
        return 0, 0
    os.replace(parts[-1], final)  # the newest: this attempt's (older ones: cleanup removes)
    kinds = Counter(record.get("type") for record in iter_records(final))
    return kinds.get("page", 0), kinds.get("error", 0)


def _failure_stats(
    source: Source, run_id: str, staging: Path, started_at: str, why: str
) -> dict[str, Any]:
    pages, errors = _salvage_records(staging, run_id, source.name)
    stats = {
        "source": source.name,
        "run_id": run_id,
        "started_at": started_at,
        "finished_at": utc_now(),
        "requests": 0,
        "bytes": 0,
        "pages": pages,
        "errors": errors,
        "status_counts": {},
        "crawl_error": why,
    }
    write_stats(staging, run_id, source.name, stats)
    return stats


def cache_dir_for(staging: Path, source: str) -> Path:
    """Where the outlet's feeds/sitemaps/listings are kept between nights (conditional GET)."""
    return Path(staging) / CACHE_FOLDER / source


def prune_cache(cache_dir: Path, max_age_days: float = CACHE_MAX_AGE_DAYS) -> int:
    """Delete cached documents not (re)stored for ``max_age_days`` (e.g. old listing pages or
    child sitemaps an outlet no longer links); returns how many went. Losing an entry only
    costs one full download."""
    cutoff = time.time() - max_age_days * 86400
    removed = 0
    for meta in Path(cache_dir).glob("*/*/*/pickled_meta"):
        entry = meta.parent
        if meta.stat().st_mtime < cutoff:
            shutil.rmtree(entry, ignore_errors=True)
            removed += 1
    return removed


def _seen_lines(seen_urls: Collection[str] | Mapping[str, str | None]) -> str:
    if isinstance(seen_urls, Mapping):
        return "".join(f"{url}\t{when or ''}\n" for url, when in seen_urls.items())
    return "".join(f"{url}\n" for url in seen_urls)


def crawl_source(
    source: Source,
    run_id: str,
    staging: Path,
    seen_urls: Collection[str] | Mapping[str, str | None],
    allow_private_hosts: bool = False,
    timeout: float = 3600,
    cache_dir: Path | None = None,
    recheck: Sequence[RecheckTarget] = (),
    as_of: datetime | None = None,
) -> dict[str, Any]:
    """Crawl ``source`` into ``<staging>/<run_id>/``; return the stats written there.

    ``seen_urls``: article URLs already in the warehouse (compared in canonical form; not
    fetched again) — a collection of URLs, or a mapping URL -> when it was last fetched (ISO
    8601): then an article whose feed/sitemap date is newer is fetched again (an update).
    ``timeout``: seconds for the whole outlet; the crawl closes itself a little earlier and is
    killed if it overruns. ``cache_dir``: where feeds/sitemaps/listings are kept for conditional
    GET on the next night (default ``<staging>/.crawlcache/<source>``). ``recheck``: articles to
    request again with a conditional GET (``spiders.recheck``; the outlet's ``recheck_days``).
    ``as_of``: simulations only, the moment the crawl stands for, sent to the (fixture) web as
    ``X-Pantau-As-Of`` (:mod:`spiders.middlewares.as_of`); None for a real crawl.
    The stats always have ``crawl_error`` (None, or one line why the outlet failed as a whole).
    """
    if not isinstance(source, Source):
        raise TypeError(f"source must be a core.config.Source, not {type(source).__name__}")
    if not run_id or not str(run_id).strip():
        raise ValueError("run_id must be a non-empty string")
    if timeout <= 0:
        raise ValueError(f"timeout must be positive seconds, got {timeout!r}")
    staging = Path(os.path.abspath(staging))  # the crawler process has its own directory
    cache_dir = Path(os.path.abspath(cache_dir)) if cache_dir is not None else None
    with crawl_lock(staging, run_id, source.name):  # StagingBusy if another crawl has it
        return _crawl_locked(source, run_id, staging, seen_urls, allow_private_hosts, timeout,
                             cache_dir, recheck, as_of)


def _crawl_locked(
    source: Source,
    run_id: str,
    staging: Path,
    seen_urls: Collection[str] | Mapping[str, str | None],
    allow_private_hosts: bool,
    timeout: float,
    cache_dir: Path | None,
    recheck: Sequence[RecheckTarget],
    as_of: datetime | None,
) -> dict[str, Any]:
    folder = run_dir(staging, run_id)
    folder.mkdir(parents=True, exist_ok=True)
    # a stats file marks a finished crawl: remove one left by an earlier attempt of this run
    stats_path(staging, run_id, source.name).unlink(missing_ok=True)

    started_at = utc_now()
    logfile = log_path(staging, run_id, source.name)
    with tempfile.TemporaryDirectory(prefix=f"pantau-crawl-{source.name}-") as tmp:
        source_file = Path(tmp) / "source.json"
        source_file.write_text(json.dumps(source.to_dict(), ensure_ascii=False), "utf-8")
        seen_file = Path(tmp) / "seen.txt"
        seen_file.write_text(_seen_lines(seen_urls), "utf-8")
        cmd = [
            "--source-file", str(source_file),
            "--run-id", run_id,
            "--staging", str(staging),
            "--seen-file", str(seen_file),
            "--timeout", str(timeout),
            "--cache-dir", str(cache_dir or cache_dir_for(staging, source.name)),
        ]
        if recheck:
            recheck_file = write_targets(Path(tmp) / "recheck.jsonl", recheck)
            cmd += ["--recheck-file", str(recheck_file)]
        if allow_private_hosts:
            cmd.append("--allow-private-hosts")
        if as_of is not None:
            cmd += ["--as-of", as_of.isoformat()]
        why: str | None = None
        code = run_crawl_process(cmd, _child_env(), logfile, REPO_ROOT,
                                 timeout=timeout + KILL_GRACE_SECONDS)
        if code is None:
            why = f"crawl killed after {timeout + KILL_GRACE_SECONDS:.0f} s (time limit)"
        elif code != 0 and not stats_path(staging, run_id, source.name).exists():
            why = f"crawler process exited with code {code} (see {logfile})"

    pruned = prune_cache(cache_dir or cache_dir_for(staging, source.name))
    if pruned:
        log.info("crawl %s: %d stale cached discovery documents removed", source.name, pruned)
    path = stats_path(staging, run_id, source.name)
    if why is None and path.exists():
        stats = read_stats(path)
    else:
        stats = _failure_stats(
            source, run_id, staging, started_at, why or f"crawler wrote no stats (see {logfile})"
        )
    log.info(
        "crawl %s: %s pages, %s errors, %s requests, %s bytes%s",
        source.name,
        stats.get("pages"),
        stats.get("errors"),
        stats.get("requests"),
        stats.get("bytes"),
        f"; FAILED: {stats['crawl_error']}" if stats.get("crawl_error") else "",
    )
    return stats
