"""Typed staging records, the streamed reader (a damaged file repaired on the way, every readable
record yielded once) and extraction in bounded chunks."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from extract import SiteOptions
from staging import (
    BadRecord,
    ErrorRecord,
    PageRecord,
    StagingWriter,
    parse_record,
    quarantine_path,
    read_staged,
    read_typed,
    records_path,
)
from staging import extraction as chunked
from staging.records import missing_keys

PAGE = {"type": "page", "source": "kabar", "url": "https://kabar.id/a", "final_url": None,
        "status": 200, "headers": {"etag": '"1"'}, "fetched_at": "2026-11-20T19:00:00+00:00",
        "encoding": "utf-8", "html": "<p>x</p>", "discovered_via": "feed", "hints": {}}
ERROR = {"type": "error", "source": "kabar", "url": "https://kabar.id/rss", "status": 503,
         "error": "HTTP 503", "fetched_at": "2026-11-20T19:00:00+00:00", "role": "feed"}


def test_records_parse_to_their_type_and_back() -> None:
    page = parse_record({**PAGE, "more_pages": [{"final_url": "u2", "html": "y"}], "new": 1})
    assert isinstance(page, PageRecord) and page.more_pages == [{"final_url": "u2", "html": "y"}]
    assert page.to_dict() == {**PAGE, "more_pages": [{"final_url": "u2", "html": "y"}]}
    error = parse_record(ERROR)
    assert isinstance(error, ErrorRecord) and error.is_discovery and error.status == 503
    assert not ErrorRecord(source="k", url="u", fetched_at="t").is_discovery  # an article's
    assert parse_record({"type": "log", "text": "…"}) is None  # not a page


def test_a_record_without_what_the_load_needs_says_what_it_lacks() -> None:
    with pytest.raises(BadRecord, match="page record for 'https://kabar.id/a' lacks fetched_at"):
        parse_record({k: v for k, v in PAGE.items() if k != "fetched_at"})
    # the crawler's own check wants every key of the format
    assert missing_keys({k: v for k, v in PAGE.items() if k != "hints"}) == ["hints"]
    assert missing_keys({"type": "other"}) == ["type"]
    with pytest.raises(BadRecord, match="lacks hints"):
        parse_record({k: v for k, v in PAGE.items() if k != "hints"}, strict=True)


def test_a_damaged_file_is_repaired_while_streaming_and_nothing_comes_twice(
    tmp_path: Path
) -> None:
    writer = StagingWriter(tmp_path, "r1", "kabar")
    for n in range(5):
        writer.write({**PAGE, "url": f"https://kabar.id/{n}"})
    writer.close()
    path = records_path(tmp_path, "r1", "kabar")
    with gzip.open(path, "ab") as fh:  # a line that is no JSON, then two good ones
        fh.write(b"{not json\n")
        for n in (5, 6):
            fh.write(json.dumps({**PAGE, "url": f"https://kabar.id/{n}"}).encode() + b"\n")
    urls = [r["url"] for r in read_staged(path)]
    assert urls == [f"https://kabar.id/{n}" for n in range(7)]
    assert quarantine_path(path).exists()  # the original, kept aside
    assert [r.url for r in read_typed(path)] == urls  # the repaired file reads cleanly


def test_extraction_reads_its_input_a_chunk_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """A load holds a chunk of pages, never the run: extraction pulls its jobs lazily."""
    pulled = {"n": 0}

    def jobs() -> Iterator[tuple[PageRecord, SiteOptions, str | None]]:
        for n in range(50):
            pulled["n"] += 1
            yield PageRecord(source="kabar", url=f"https://kabar.id/{n}",
                             fetched_at="2026-11-20T19:00:00+00:00"), SiteOptions(), None

    monkeypatch.setattr(chunked.staged_pages, "extract_record",
                        lambda record, options, archive: record.url)
    seen = []
    for got in chunked.extract_pages(jobs(), workers=1, chunk=8):
        seen.append(got)
        assert pulled["n"] <= len(seen) + 8  # never more than a chunk ahead
    assert seen == [f"https://kabar.id/{n}" for n in range(50)]
