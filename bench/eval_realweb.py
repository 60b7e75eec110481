"""pantau on labelled real pages: body precision and recall, leaks and every metadata field.

    python bench/eval_realweb.py [-v]

Pages and labels (written by reading each page, not from any extractor's output):
  ../shared/realpages   + tests/extract/realpages_labels.json  (2015-2017 markup; body from the
                          set's gold.json unless the labels correct it)
  ../shared/realpages2  + tests/extract/realpages2_expected.json (2019-2022 KLY-group markup)

Per page: body precision/recall (token bags, dateline and editor initials excluded from the
expected body; embedded social posts, which the labels count as neither body nor boilerplate,
left out), labelled not-body snippets found in `text`, and whether authors, editors,
language, published_at (instant to the minute and offset) and page kind (article or not) are
right. Missing folders are skipped. `score_pages()` is what tests/extract/test_realweb.py uses.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from statistics import mean
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from eval_common import bag_prf  # noqa: E402
from lxml.etree import XPath  # noqa: E402

from extract import SiteOptions, extract_article  # noqa: E402
from extract.decode import decode_html  # noqa: E402
from extract.names import normalise_key  # noqa: E402
from extract.tree import parse_html  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SETS = {
    "realpages": (SHARED / "realpages", REPO / "tests" / "extract" / "realpages_labels.json"),
    "realpages2": (SHARED / "realpages2", REPO / "tests" / "extract" / "realpages2_expected.json"),
}
FIELDS = ("authors", "editors", "tags", "language", "published_at", "page_kind")
_GOLD_DATELINE = re.compile(r"^[^\n]{0,60}?\s(?:-|–|—|--)\s")
_GOLD_INITIALS = re.compile(r"\s*\((?:[A-Za-z]{1,6}/)+[A-Za-z]{1,6}\)\s*$|\s*\(\w{2,5}\)\s*$")


@dataclass
class PageScore:
    """One labelled page: body scores (articles only) and which fields are right."""

    key: str
    kind: str
    precision: float | None = None
    recall: float | None = None
    leaks: list[str] = field(default_factory=list)
    right: dict[str, bool] = field(default_factory=dict)
    got: dict[str, Any] = field(default_factory=dict)
    want: dict[str, Any] = field(default_factory=dict)


def _names(values: list[str] | None) -> list[str]:
    return sorted(" ".join(v.lower().split()) for v in values or [])


def _same_minute(got: str | None, want: str | None) -> bool:
    if not got or not want:
        return got == want
    a, b = datetime.fromisoformat(got), datetime.fromisoformat(want)
    return a.utcoffset() == b.utcoffset() and a.replace(second=0) == b.replace(second=0)


def labelled_pages() -> list[tuple[str, Path, str, dict[str, Any]]]:
    """(key, html path, url, expected) for every labelled page whose folder is present."""
    out: list[tuple[str, Path, str, dict[str, Any]]] = []
    folder, labels_file = SETS["realpages"]
    if (folder / "gold.json").exists():
        gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
        labels = json.loads(labels_file.read_text(encoding="utf-8"))
        for key, g in gold.items():
            want = dict(labels.get(key, {}))
            url = g.get("url")
            if not url:  # a listing: its own address is the outlet's home page
                first = (g.get("_urls_from_mainpage") or ["http://unknown.invalid/"])[0]
                url = re.match(r"https?://[^/]+/", first).group(0)  # type: ignore[union-attr]
            if want.get("kind") == "article" and "paragraphs" not in want:
                body = _GOLD_INITIALS.sub("", _GOLD_DATELINE.sub("", g["content"].strip(), 1))
                want["paragraphs"] = [body]
            out.append((f"realpages/{key}", folder / key, url, want))
    folder, labels_file = SETS["realpages2"]
    if folder.is_dir():
        for key, want in json.loads(labels_file.read_text(encoding="utf-8")).items():
            url = want.get("url") or "https://www.example.invalid/"
            out.append((f"realpages2/{key}", folder / key, url, want))
    return out


_EMBEDS = XPath(
    "//blockquote[contains(@class, 'twitter-tweet') or contains(@class, 'instagram-media')"
    " or contains(@class, 'tiktok-embed')]"
)


def _embedded_posts(html: bytes) -> set[str]:
    """Normalised texts of the social posts a page embeds (tweets, Instagram, TikTok)."""
    tree = parse_html(decode_html(html))
    if tree is None:
        return set()
    return {normalise_key(e.text_content()) for e in _EMBEDS(tree)}


def _without_embeds(text: str, posts: set[str]) -> str:
    """The labels count embedded posts as neither body nor boilerplate (a quotation the page
    shows): their paragraphs are left out of the body score, on both sides."""
    if not posts:
        return text
    joined = "|".join(posts)
    return "\n\n".join(
        p for p in text.split("\n\n") if not (normalise_key(p) and normalise_key(p) in joined)
    )


def score_page(key: str, path: Path, url: str, want: dict[str, Any]) -> PageScore:
    html = path.read_bytes()
    art = extract_article(html, url, SiteOptions())
    got = art.to_dict()
    score = PageScore(key=key, kind=want.get("kind", "article"), got=got, want=want)
    is_article = want.get("kind") == "article"
    score.right["page_kind"] = (got["page_kind"] == "article") == is_article
    if not is_article:
        return score
    expected = "\n".join(want.get("paragraphs") or [])
    text = _without_embeds(got["text"] or "", _embedded_posts(html))
    score.precision, score.recall, _ = bag_prf(text, expected)
    score.leaks = [s for s in want.get("not_body", []) if s and s in (got["text"] or "")]
    score.right["authors"] = _names(got["authors"]) == _names(want.get("authors"))
    score.right["editors"] = _names(got["editors"]) == _names(want.get("editors"))
    score.right["tags"] = set(_names(got["tags"])) == set(_names(want.get("tags")))
    score.right["language"] = got["language"] == want.get("language")
    score.right["published_at"] = _same_minute(got["published_at"], want.get("published_at"))
    return score


def score_pages() -> list[PageScore]:
    return [score_page(*page) for page in labelled_pages()]


def summary(scores: list[PageScore]) -> dict[str, float]:
    """The figures the targets are set on (means over labelled articles)."""
    articles = [s for s in scores if s.kind == "article"]
    out: dict[str, float] = {
        "pages": len(scores),
        "articles": len(articles),
        "precision": mean(s.precision or 0.0 for s in articles) if articles else 0.0,
        "recall": mean(s.recall or 0.0 for s in articles) if articles else 0.0,
        "leaking": sum(bool(s.leaks) for s in articles),
    }
    for name in FIELDS:
        judged = [s.right[name] for s in scores if name in s.right]
        out[name] = sum(judged) / len(judged) if judged else 0.0
    return out


def main() -> None:
    verbose = "-v" in sys.argv
    scores = score_pages()
    if not scores:
        print("no labelled real pages found (../shared/realpages*), skipped")
        return
    for set_name in SETS:
        part = [s for s in scores if s.key.startswith(set_name + "/")]
        if not part:
            continue
        figures = summary(part)
        print(f"\n== {set_name}: {figures['pages']:.0f} pages ({figures['articles']:.0f} articles)")
        print(f"body precision (token, mean)        {figures['precision']:.3f}")
        print(f"body recall (token, mean)           {figures['recall']:.3f}")
        leaking = f"{figures['leaking']:.0f}/{figures['articles']:.0f}"
        print(f"articles leaking labelled not-body   {leaking}")
        for name in FIELDS:
            print(f"{name + ' right':<36} {100 * figures[name]:.1f}%")
    if verbose:
        print("\nper page (only what is wrong):")
        for s in scores:
            wrong = [name for name, ok in s.right.items() if not ok]
            low = s.precision is not None and min(s.precision, s.recall or 0) < 0.98
            if wrong or s.leaks or low:
                pr = f"P {s.precision:.3f} R {s.recall:.3f} " if s.precision is not None else ""
                print(f"  {s.key}: {pr}leaks {s.leaks}")
                for name in wrong:
                    want = s.want.get(name, s.kind) if name != "page_kind" else s.kind
                    print(f"      {name}: got {s.got.get(name)!r} want {want!r}")


if __name__ == "__main__":
    main()
