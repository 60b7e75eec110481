"""Extract staged pages in bounded chunks, in parallel over the machine's cores.

This is the CPU-heavy part of a load and of a reprocess; it runs before the write transaction
opens, so the warehouse is locked only for the (short) set-based merge. Pages stream through:
at most ``chunk`` of them (and their results) are held at once, whatever the size of the run.
A page the crawler already extracted with the current extractor and settings is taken as it is
(:func:`extract.staged.reuse_staged`).
"""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor

from core.processes import die_with_parent
from extract import SiteOptions
from extract import staged as staged_pages
from extract.staged import ExtractedPage
from staging.records import PageRecord

log = logging.getLogger(__name__)

#: Below this many pages to extract a process pool costs more than it saves.
PARALLEL_THRESHOLD = 16
#: Pages read, extracted and handed on at a time (bounds the memory of a load).
CHUNK_PAGES = 256

Job = tuple[PageRecord, SiteOptions, str | None]  # page, its outlet's options, archive path


def _extract_star(job: Job) -> ExtractedPage:
    return staged_pages.extract_record(*job)


def extract_pages(
    jobs: Iterable[Job],
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    reuse: bool = True,
    chunk: int = CHUNK_PAGES,
) -> Iterator[ExtractedPage]:
    """Extract ``jobs`` in input order over ``workers`` processes (default: all cores), a
    ``chunk`` at a time; ``progress(n)`` is called as pages are done.

    With ``reuse``, a record the crawler already extracted with the current extractor and
    settings is taken as it is; only the others are extracted.
    """
    workers = workers or os.cpu_count() or 1
    pool: Executor | None = None
    reused_total = extracted_total = 0
    try:
        it = iter(jobs)
        while batch := list(itertools.islice(it, chunk)):
            results = [staged_pages.reuse_staged(*job) if reuse else None for job in batch]
            todo = [i for i, page in enumerate(results) if page is None]
            reused = len(batch) - len(todo)
            reused_total += reused
            extracted_total += len(todo)
            if progress and reused:
                progress(reused)
            if workers > 1 and len(todo) >= PARALLEL_THRESHOLD:
                if pool is None:  # workers die with this process: a killed load leaves none
                    pool = ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent,
                                               initargs=(os.getpid(),))
                done: Iterable[ExtractedPage] = pool.map(
                    _extract_star, (batch[i] for i in todo), chunksize=8)
            else:
                done = (_extract_star(batch[i]) for i in todo)
            for i, page in zip(todo, done, strict=True):
                results[i] = page
                if progress:
                    progress(1)
            for result in results:
                assert result is not None
                yield result
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    if extracted_total:
        log.info("extracted %d of %d pages (%d extracted by the crawler)", extracted_total,
                 extracted_total + reused_total, reused_total)


def extract_all(
    jobs: Iterable[Job],
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    reuse: bool = True,
) -> list[ExtractedPage]:
    """:func:`extract_pages` as a list (for callers that hold few pages)."""
    return list(extract_pages(jobs, workers=workers, progress=progress, reuse=reuse))
