"""A run's extracted pages on their way into the warehouse: the batch file.

The load streams extracted pages into a JSON-lines file on disk, a row per page (the fetched
page's columns, the extracted article's from :mod:`warehouse.schema`, then its validators), and
DuckDB reads it back with explicit column types (no guessing) inside the write transaction.
Python never holds more than one page's row; the set-based merge runs in DuckDB, which spills
to disk past its memory limit.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import duckdb

from extract.staged import ExtractedPage, article_id
from staging.records import ErrorRecord, PageRecord
from warehouse import schema

#: ``pages.kind`` of a feed, sitemap or listing that could not be fetched or read.
DISCOVERY_ERROR = "discovery_error"

_PAGE_COLUMNS = {
    "source": "VARCHAR",
    "url": "VARCHAR",
    "final_url": "VARCHAR",
    "status": "INTEGER",
    "fetched_at": "TIMESTAMPTZ",
    "kind": "VARCHAR",
    "error": "VARCHAR",
    "canonical_url": "VARCHAR",
    "content_hash": "VARCHAR",
    "archive": "VARCHAR",
    "article_id": "VARCHAR",
}
_VALIDATOR_COLUMNS = {"etag": "VARCHAR", "last_modified": "VARCHAR"}
BATCH_COLUMNS = _PAGE_COLUMNS | schema.batch_columns() | _VALIDATOR_COLUMNS

# A staged page's validators for conditional GET: (ETag, Last-Modified), either may be None.
Validators = tuple[str | None, str | None]


def page_validators(record: PageRecord) -> Validators | None:
    """ETag and Last-Modified of a staged 200 page, for re-checking it with a conditional GET.

    None when it has neither, or when they belong to another address than the page's own (a
    split article staged from its single-page view).
    """
    if record.status != 200 or (record.hints or {}).get("single_page_view"):
        return None
    headers = record.headers or {}
    etag, modified = headers.get("etag"), headers.get("last-modified")
    return (etag, modified) if etag or modified else None


def error_page(record: ErrorRecord, archive: str | None) -> ExtractedPage:
    """The row of a URL that could not be fetched: ``error``, or a discovery error."""
    return ExtractedPage(
        source=record.source,
        url=record.url,
        final_url=None,
        status=record.status,
        fetched_at=record.fetched_at,
        kind=DISCOVERY_ERROR if record.is_discovery else "error",
        error=(record.error or "fetch failed")[:500],
        article=None,
        canonical_url=None,
        content_hash=None,
        archive=archive,
    )


def batch_row(page: ExtractedPage, validators: Validators | None = None) -> dict[str, Any]:
    etag, modified = validators or (None, None)
    return {
        "source": page.source,
        "url": page.url,
        "final_url": page.final_url,
        "status": page.status,
        "fetched_at": page.fetched_at,
        "kind": page.kind,
        "error": page.error,
        "canonical_url": page.canonical_url,
        "content_hash": page.content_hash,
        "archive": page.archive,
        "article_id": article_id(page.canonical_url) if page.canonical_url else None,
        **schema.batch_values(page.article or {}),
        "etag": etag,
        "last_modified": modified,
    }


class BatchFile:
    """Rows appended one by one to ``<folder>/batch.jsonl.part``, renamed to ``batch.jsonl`` by
    :meth:`close` (complete: the write transaction comes next); :meth:`remove` deletes the folder.

    ``parent``: where the private folder is made (default: the system's temporary folder).
    """

    def __init__(self, parent: Path | None = None) -> None:
        if parent is not None:
            Path(parent).mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix="pantau-load-", dir=parent))
        self.path = self.folder / "batch.jsonl"
        self._part = self.folder / "batch.jsonl.part"
        self._fh: IO[str] | None = self._part.open("w", encoding="utf-8")
        self.rows = 0

    def add(self, page: ExtractedPage, validators: Validators | None = None) -> None:
        assert self._fh is not None, "batch file already closed"
        self._fh.write(json.dumps(batch_row(page, validators), ensure_ascii=False))
        self._fh.write("\n")
        self.rows += 1

    def extend(self, pages: Iterable[ExtractedPage]) -> None:
        for page in pages:
            self.add(page)

    def close(self) -> Path:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
            self._part.replace(self.path)
        return self.path

    def remove(self) -> None:
        self.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def load_into(self, con: duckdb.DuckDBPyConnection, sources: Iterable[str]) -> None:
        """The rows of ``sources`` as the temp table ``batch`` (in the caller's transaction)."""
        self.close()
        columns = ", ".join(f"'{k}': '{v}'" for k, v in BATCH_COLUMNS.items())
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE batch AS SELECT * FROM read_json(?, "
            f"format = 'newline_delimited', columns = {{{columns}}}) "
            f"WHERE list_contains(?, source)",
            [str(self.path), sorted(set(sources))],
        )
