"""Every link in README.md and docs/*.md resolves inside the repository: relative links to files
that exist (and, into Markdown, to headings that exist), file names in code spans too, and no
path leading out of the repo. Code and config that cite a doc (``docs/design.md``) cite one
that is there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
LINK_RE = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
SPAN_RE = re.compile(r"`([^`\s]+\.md)(#[^`\s]*)?`")
FENCE_RE = re.compile(r"```.*?```", re.S)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = FENCE_RE.sub("", path.read_text("utf-8"))
    return {slug(h) for h in re.findall(r"^#{1,6}\s+(.+?)\s*#*$", text, re.M)}


def targets(doc: Path) -> list[tuple[str, str]]:
    """(kind, target) of every relative link and Markdown file named in a code span."""
    text = FENCE_RE.sub("", doc.read_text("utf-8"))
    found = [("link", t) for t in LINK_RE.findall(text)
             if not re.match(r"[a-z][a-z0-9+.-]*:", t)]
    found += [("span", f + (a or "")) for f, a in SPAN_RE.findall(text)]
    return found


def resolve(doc: Path, kind: str, target: str) -> Path | None:
    path = target.split("#", 1)[0]
    if not path:
        return doc
    candidates = [doc.parent / path] + ([REPO / path] if kind == "span" else [])
    for candidate in candidates:
        if candidate.exists():
            return candidate.resolve()
    return None


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(REPO)))
def test_links_resolve_inside_the_repo(doc: Path) -> None:
    broken = []
    for kind, target in targets(doc):
        found = resolve(doc, kind, target)
        if found is None or not found.is_relative_to(REPO):
            broken.append(f"{target} (no such file in the repo)")
            continue
        anchor = target.split("#", 1)[1] if "#" in target else ""
        if anchor and found.suffix == ".md" and anchor not in anchors(found):
            broken.append(f"{target} (no heading '#{anchor}' in {found.name})")
    assert not broken, f"{doc.relative_to(REPO)}: " + "; ".join(broken)


def test_docs_cited_by_code_and_config_exist() -> None:
    cited: dict[str, set[str]] = {}
    for path in [*REPO.glob("*.yaml"), *REPO.glob("*/**/*.py"), *REPO.glob("*/*.md")]:
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        for name in re.findall(r"\bdocs/[\w\-/]+\.md\b", path.read_text("utf-8", "replace")):
            cited.setdefault(name, set()).add(str(path.relative_to(REPO)))
    missing = {name: sorted(by) for name, by in cited.items() if not (REPO / name).exists()}
    assert not missing, missing
    assert "docs/design.md" in cited
