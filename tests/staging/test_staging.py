"""The staging area under failure: same-second runs, concurrent writers, crawl lock, damage."""

from __future__ import annotations

import gzip
import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.config import Source
from pantau.steps import new_run_id
from staging import (
    StagingBusy,
    StagingWriter,
    crawl_lock,
    iter_records,
    read_stats,
    records_path,
    stats_path,
    write_stats,
)


def test_run_ids_started_in_one_second_differ() -> None:
    now = datetime(2026, 11, 23, 2, 0, 0, tzinfo=UTC)
    ids = {new_run_id(now) for _ in range(50)}
    assert len(ids) == 50
    assert all(i.startswith("manual__2026-11-23T02:00:00+00:00") for i in ids)


def test_two_writers_of_one_staging_file_never_mix(tmp_path: Path) -> None:
    a = StagingWriter(tmp_path, "r1", "kabar")
    b = StagingWriter(tmp_path, "r1", "kabar")
    for n in range(3000):
        a.write({"type": "page", "n": n, "by": "a", "html": "x" * 50})
        b.write({"type": "page", "n": n, "by": "b", "html": "y" * 50})
    a.close()
    b.close()  # the later close wins: one whole file, never a mixture
    got = list(iter_records(records_path(tmp_path, "r1", "kabar"), strict=True))
    assert len(got) == 3000 and {r["by"] for r in got} == {"b"}
    assert not list((tmp_path / "r1").glob("*.part"))


def test_stats_written_by_two_processes_stay_whole(tmp_path: Path) -> None:
    write_stats(tmp_path, "r1", "kabar", {"source": "kabar", "pages": 1})
    write_stats(tmp_path, "r1", "kabar", {"source": "kabar", "pages": 2})
    assert read_stats(stats_path(tmp_path, "r1", "kabar"))["pages"] == 2
    assert not list((tmp_path / "r1").glob("*.part"))


def test_a_second_crawl_of_one_run_and_outlet_is_refused(tmp_path: Path) -> None:
    from spiders.runner import crawl_source

    source = Source(name="kabar", url="http://kabar.localhost:9/")
    write_stats(tmp_path, "r1", "kabar", {"source": "kabar", "pages": 7, "crawl_error": None})
    with crawl_lock(tmp_path, "r1", "kabar"), pytest.raises(StagingBusy) as info:
        crawl_source(source, "r1", tmp_path, [], allow_private_hosts=True, timeout=5)
    message = str(info.value)
    assert "kabar" in message and "r1" in message and "another process" in message
    # the first crawl's finished outlet is untouched
    assert read_stats(stats_path(tmp_path, "r1", "kabar"))["pages"] == 7
    # other outlets of the run, and the same outlet once the lock is free, are not blocked
    with crawl_lock(tmp_path, "r1", "other"), crawl_lock(tmp_path, "r1", "kabar"):
        pass


def damaged_staging_file(path: Path, good: int) -> None:
    """A staging file whose gzip stream breaks after ``good`` records (as two writers left it)."""
    lines = [json.dumps({"type": "page", "n": n, "html": "a" * 2000 + str(n)}) + "\n"
             for n in range(good)]
    head = gzip.compress("".join(lines).encode())
    path.parent.mkdir(parents=True, exist_ok=True)
    # a second, torn gzip member whose deflate data is garbage: "Error -3 while decompressing"
    path.write_bytes(head + b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\xff" * 300)


def test_reading_a_broken_gzip_stream_does_not_raise(tmp_path: Path, caplog) -> None:
    path = tmp_path / "r1" / "kabar.jsonl.gz"
    damaged_staging_file(path, 5)
    with caplog.at_level(logging.WARNING):
        got = list(iter_records(path))
    assert [r["n"] for r in got] == [0, 1, 2, 3, 4]
    assert "damaged" in caplog.text
