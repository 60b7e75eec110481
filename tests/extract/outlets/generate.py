"""Generate the per-outlet golden files: what each configured outlet's own entry plus a saved
real page of it give (in the style of Fundus's per-publisher tests).

For every page in ``../shared/realpages*`` of an outlet in the repo's sources.yaml, the page is
extracted with that outlet's options (timezone, language, ``extract:`` overrides) and the fields
a reader checks are written to ``tests/extract/outlets/<outlet>/<page>.json`` with the page's
provenance. The files are generated, never edited by hand::

    python tests/extract/outlets/generate.py            # compare; exit 1 and show what changed
    python tests/extract/outlets/generate.py --update   # rewrite after an intended change

``test_outlet_goldens.py`` fails when an override or a rule change alters an outlet's result.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

TEXT_EDGE = 80  # characters kept of the text's start and end


def golden_pages() -> list[Any]:
    """The saved real HTML pages of outlets in sources.yaml (feeds saved as pages left out)."""
    from tests.realpages import real_pages

    return [p for p in real_pages() if p.source is not None and not p.is_feed]


def golden_path(page: Any) -> Path:
    return HERE / page.source / (page.file.stem + ".json")


def expected_for(page: Any) -> dict[str, Any]:
    """The golden record of one page, extracted with its outlet's own configuration."""
    from core.config import load_sources
    from core.settings import REPO_ROOT
    from extract import SiteOptions, extract_article

    source = {s.name: s for s in load_sources(REPO_ROOT / "sources.yaml")}[page.source]
    options = SiteOptions.from_mapping(source.extract, timezone=source.timezone,
                                       language=source.language)
    article = extract_article(page.file.read_bytes(), page.url, options)
    text = article.text or ""
    return {
        "outlet": source.name,
        "page": str(page.file.relative_to(page.file.parents[2])),
        "url": page.url,
        "kind": page.kind,
        "provenance": page.provenance,
        "generated_by": "tests/extract/outlets/generate.py --update",
        "expected": {
            "title": article.title,
            "authors": list(article.authors),
            "editors": list(article.editors),
            "published_at": article.published_at,
            "language": article.language,
            "page_kind": article.to_dict()["page_kind"],
            "tags": list(article.tags),
            "text_start": text[:TEXT_EDGE],
            "text_end": text[-TEXT_EDGE:] if text else "",
        },
    }


def render(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--update", action="store_true", help="write the golden files")
    args = parser.parse_args(argv)
    pages = golden_pages()
    if not pages:
        print("no saved real pages found (../shared/realpages*): nothing to do")
        return 0
    wanted = {golden_path(p): render(expected_for(p)) for p in pages}
    changed = [path for path, text in wanted.items()
               if not path.exists() or path.read_text(encoding="utf-8") != text]
    stale = [p for p in HERE.glob("*/*.json") if p not in wanted]
    for path in changed:
        print(f"{'changed' if path.exists() else 'new'}: {path.relative_to(REPO)}")
    for path in stale:
        print(f"stale: {path.relative_to(REPO)}")
    if args.update:
        for path in changed:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(wanted[path], encoding="utf-8")
        for path in stale:
            path.unlink()
        print(f"{len(changed)} written, {len(stale)} removed, {len(wanted)} golden files")
        return 0
    return 1 if changed or stale else 0


if __name__ == "__main__":
    sys.exit(main())
