"""Locks of the staging area: one crawl per outlet, and the raw archive's (compaction against
reprocess)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from staging.layout import LOCK_FILE, ArchiveBusy, StagingBusy, run_dir_name


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


@contextlib.contextmanager
def archive_lock(staging: Path, exclusive: bool, wait_seconds: float) -> Iterator[None]:
    """Hold ``<staging>/.archive.lock``: exclusive for compaction, shared for readers that write
    archive paths (reprocess), so no reprocess records a run file compaction is deleting."""
    staging = Path(staging)
    staging.mkdir(parents=True, exist_ok=True)
    fh = open(staging / LOCK_FILE, "a+")  # noqa: SIM115 - closed below
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
