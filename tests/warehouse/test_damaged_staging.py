"""A damaged staging file is repaired and quarantined by the load, never a wedge."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from staging import iter_records, quarantine_path, records_path
from tests.warehouse.staged import PARAS, SOURCE, article_html, page, stage
from warehouse.db import connect_writer
from warehouse.loader import load_run

pytestmark = pytest.mark.usefixtures("warehouse_backend")

T = "2026-11-20T19:00:30+00:00"


def test_a_broken_gzip_stream_is_quarantined_and_later_loads_work(tmp_path: Path,
                                                                     caplog) -> None:
    staging = tmp_path / "staging"
    stage(staging, "r1", [
        page("https://contoh.id/berita/1", article_html("Banjir rendam Jakarta Timur", PARAS), T),
        page("https://contoh.id/berita/2", article_html("Dapur umum dibuka", PARAS[::-1]), T),
    ])
    path = records_path(staging, "r1", "contoh")
    original = path.read_bytes()
    # what two interleaved writers left: a torn second gzip member ("Error -3 …")
    path.write_bytes(original + b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\xff" * 300)
    damaged = path.read_bytes()

    con = connect_writer(tmp_path / "w.duckdb")
    try:
        with caplog.at_level(logging.ERROR):
            summary = load_run(con, staging, "r1", [SOURCE], workers=1)
        assert summary.outlets[0].new_articles == 2
        assert "damaged" in caplog.text and str(quarantine_path(path)) in caplog.text
        # the original is kept aside as it was; the staging file now reads to its end
        assert quarantine_path(path).read_bytes() == damaged
        assert len(list(iter_records(path, strict=True))) == 2
        # and no later load is blocked by it
        stage(staging, "r2", [page("https://contoh.id/berita/3",
                                   article_html("Pintu air Manggarai siaga", PARAS), T)])
        assert load_run(con, staging, "r2", [SOURCE], workers=1).outlets[0].new_articles == 1
    finally:
        con.close()
