"""The saved real outlet pages next to the repository (``../shared/realpages*``), as one index.

``shared/realpages`` (2015-2017 markup; ``gold.json`` has each article's URL and, for home pages,
the first article URLs they link to) and ``shared/realpages2`` (2019-2022 markup;
``manifest.json`` has URL, kind and provenance per page). Tests that use them skip when the folder
is absent (a plain clone of the repository): use :data:`needs_realpages`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
REALPAGES = SHARED / "realpages"
REALPAGES2 = SHARED / "realpages2"

#: shared folder name -> the sources.yaml outlet it belongs to (folders of outlets pantau does not
#: follow, such as kapanlagi, tempo-english, fimela or bola, are not listed)
FOLDER_SOURCE = {
    "antara": "antara",
    "detik": "detik",
    "kompas": "kompas",
    "liputan6": "liputan6",
    "merdeka": "merdeka",
    "okezone": "okezone",
    "republika": "republika",
    "tempo": "tempo",
    "viva": "viva",
}

needs_realpages = pytest.mark.skipif(
    not (REALPAGES / "gold.json").exists() and not (REALPAGES2 / "manifest.json").exists(),
    reason="../shared/realpages* not present",
)


@dataclass(frozen=True)
class RealPage:
    """One saved page: its file, the folder (outlet) it is in, article or listing, its URL."""

    file: Path
    folder: str
    kind: str  # "article" | "listing"
    url: str
    provenance: str  # where the page came from, for generated snapshots

    @property
    def source(self) -> str | None:
        """The sources.yaml outlet of this page, if pantau follows it."""
        return FOLDER_SOURCE.get(self.folder)

    @property
    def is_feed(self) -> bool:
        return self.file.read_bytes()[:200].lstrip().startswith(b"<?xml")


@cache
def real_pages() -> tuple[RealPage, ...]:
    """Every saved page (feeds saved as "mainpage" included, as listings), sorted by file."""
    pages: list[RealPage] = []
    if (REALPAGES / "gold.json").exists():
        gold = json.loads((REALPAGES / "gold.json").read_text(encoding="utf-8"))
        origin = "shared/realpages (anpandu/indonesian-news-scraper test pages), gold.json"
        for key, entry in sorted(gold.items()):
            folder = key.split("/")[0]
            if "url" in entry:
                pages.append(RealPage(REALPAGES / key, folder, "article", entry["url"],
                                      f"{origin}: {key}"))
            else:
                home = "http://{}/".format(urlsplit(entry["_urls_from_mainpage"][0]).hostname)
                pages.append(RealPage(REALPAGES / key, folder, "listing", home,
                                      f"{origin}: {key}"))
    if (REALPAGES2 / "manifest.json").exists():
        for entry in json.loads((REALPAGES2 / "manifest.json").read_text(encoding="utf-8")):
            src = entry["source"]
            provenance = f"shared/realpages2: {src['repo']}@{src['commit'][:12]}:{src['path']}"
            pages.append(RealPage(REALPAGES2 / entry["file"], entry["file"].split("/")[0],
                                  entry["kind"], entry["url"], provenance))
    return tuple(sorted(pages, key=lambda p: str(p.file)))


@cache
def real_urls() -> tuple[tuple[str, str, str], ...]:
    """``(folder, url, kind)`` of every real URL known: each page's own URL, the article URLs
    the home pages link to (gold.json) and the entries of the feeds saved as home pages."""
    from spiders.discovery import parse_feed

    found: dict[tuple[str, str], str] = {}
    for page in real_pages():
        found[(page.folder, page.url)] = page.kind
    if (REALPAGES / "gold.json").exists():
        gold = json.loads((REALPAGES / "gold.json").read_text(encoding="utf-8"))
        for key, entry in gold.items():
            for url in entry.get("_urls_from_mainpage", []):
                found[(key.split("/")[0], url)] = "article"
    for page in real_pages():
        if page.kind == "listing" and page.file.suffix == ".html" and page.is_feed:
            for candidate in parse_feed(page.file.read_bytes(), page.url).entries:
                found[(page.folder, candidate.url)] = "article"
    return tuple(sorted((folder, url, kind) for (folder, url), kind in found.items()))
