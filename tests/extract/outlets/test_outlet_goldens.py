"""Per-outlet golden tests (Fundus style): each configured outlet's own sources.yaml entry plus a
saved real page of it give the recorded fields. A failure means an override or an extraction rule
changed what that outlet gets: if the change is intended, regenerate with
``python tests/extract/outlets/generate.py --update`` and review the diff. Skipped when
``../shared/realpages*`` is absent."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from tests.realpages import needs_realpages

HERE = Path(__file__).resolve().parent
pytestmark = needs_realpages


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("outlet_goldens_generate", HERE / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATE = _generator()
PAGES = GENERATE.golden_pages()


@pytest.mark.parametrize("page", PAGES, ids=[f"{p.source}/{p.file.stem}" for p in PAGES])
def test_outlet_page_gives_its_golden_fields(page: Any) -> None:
    path = GENERATE.golden_path(page)
    assert path.exists(), f"no golden file for {page.file}: run generate.py --update"
    golden = json.loads(path.read_text(encoding="utf-8"))
    got = GENERATE.expected_for(page)
    assert golden["url"] == page.url and golden["provenance"] == page.provenance
    assert got["expected"] == golden["expected"], f"{path.name}: the outlet's result changed"


def test_every_golden_file_has_its_page() -> None:
    from tests.realpages import SHARED

    wanted = {GENERATE.golden_path(p) for p in PAGES}
    present = [p for p in HERE.glob("*/*.json")  # of the shared folders that are here
               if (SHARED / json.loads(p.read_text(encoding="utf-8"))["page"]).parents[1].is_dir()]
    assert sorted(str(p) for p in present if p not in wanted) == []


def test_every_outlet_with_a_real_page_has_goldens() -> None:
    assert {p.source for p in PAGES} >= {"antara", "detik", "kompas", "liputan6", "merdeka",
                                         "okezone", "republika", "tempo", "viva"}
