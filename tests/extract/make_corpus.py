"""Write tests/extract/corpus/<case>.html + <case>.json from corpus_articles × corpus_styles.

    python tests/extract/make_corpus.py          # (re)write the corpus
    python tests/extract/make_corpus.py --check  # exit 1 if the files on disk are stale

The expected JSON is the contract record built from the story data (never from the extractor),
plus ``_meta``: {"style", "is_article", "boilerplate": [strings text must not contain],
"fetched_at"}. Do not edit the files by hand; change the data or the layouts and rerun.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus_styles as styles  # noqa: E402
from corpus_articles import STORIES, Story, by_key  # noqa: E402
from corpus_layouts import Page  # noqa: E402

CORPUS = HERE / "corpus"
Layout = Callable[[Story, int], Page]

# layout -> stories rendered with it (variant = position in this list)
PLAN: dict[str, tuple[Layout, tuple[str, ...]]] = {
    "tagdiv": (styles.tagdiv, ("banjir", "timnas", "wisata", "kereta")),
    "blogger": (styles.blogger, ("gempa", "dbd", "rupiah", "startup")),
    "wordpress": (styles.wordpress, ("ikn", "beras", "sekolah", "pelabuhan")),
    "detik": (styles.detik, ("banjir", "rupiah", "kereta", "timnas")),
    "kompas": (styles.kompas, ("dbd", "ikn", "wisata", "sekolah")),
    "tribun": (styles.tribun, ("beras", "startup", "banjir", "gempa")),
    "cnn": (styles.cnn, ("rupiah", "pelabuhan", "timnas", "dbd")),
    "liputan6": (styles.liputan6, ("wisata", "kereta", "ikn", "startup")),
    "tempo": (styles.tempo, ("sekolah", "ikn", "gempa", "wisata")),
    "antara": (styles.antara, ("kereta", "beras", "dbd", "rupiah")),
    "regional": (styles.regional, ("beras", "pelabuhan", "gempa", "sekolah")),
    "portal": (styles.portal, ("gempa", "banjir", "kereta", "pelabuhan")),
    "amp": (styles.amp, ("startup",)),
    "listing_home": (styles.listing_home, ("banjir",)),
    "listing_tag": (styles.listing_tag, ("banjir",)),
    "listing_search": (styles.listing_search, ("banjir",)),
    "gallery": (styles.gallery, ("banjir",)),
    "video": (styles.video, ("gempa",)),
    "liveblog": (styles.liveblog, ("banjir",)),
}


def build() -> dict[str, tuple[str, str]]:
    """{case: (html, json text)} for the whole corpus."""
    assert {s.key for s in STORIES} >= {k for _, keys in PLAN.values() for k in keys}
    files: dict[str, tuple[str, str]] = {}
    for style, (layout, keys) in PLAN.items():
        for variant, key in enumerate(keys):
            page = layout(by_key(key), variant)
            meta = {"style": style, "is_article": True, **page.meta}
            meta["boilerplate"] = sorted({b for b in meta.get("boilerplate", []) if b})
            expected = {**page.expected, "_meta": meta}
            case = f"{style}_{key}"
            files[case] = (page.html, json.dumps(expected, ensure_ascii=False, indent=2) + "\n")
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the files are current")
    args = parser.parse_args(argv)
    files = build()
    stale = []
    for case, (html, expected) in files.items():
        for path, content in ((CORPUS / f"{case}.html", html), (CORPUS / f"{case}.json", expected)):
            current = path.read_text(encoding="utf-8") if path.exists() else None
            if current != content:
                stale.append(path.name)
                if not args.check:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(content, encoding="utf-8")
    extra = sorted(p.name for p in CORPUS.glob("*.*") if p.stem not in files)
    if args.check:
        if stale or extra:
            print(f"stale: {stale} extra: {extra}; run python tests/extract/make_corpus.py")
            return 1
        return 0
    for name in extra:
        (CORPUS / name).unlink()
    print(f"{len(files)} cases, {len(stale)} files written, {len(extra)} removed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
