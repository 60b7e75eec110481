"""The article body: trafilatura on the page after pruning boilerplate containers.

Two generic repairs around trafilatura:
* loose text (a lead paragraph written straight into a <div> next to <p> siblings, split by
  <br>) is wrapped into <p> elements first, so it is not lost;
* when trafilatura's result is mostly link text (teasers), a fraction of the page's densest
  cluster of paragraphs (outside comment sections), or a different and smaller block than that
  cluster, the cluster is used instead.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from functools import lru_cache

import trafilatura
from lxml.etree import XPath, strip_elements
from lxml.html import HtmlElement

from .elements import Entry, PageElements, has_part
from .names import normalise_key
from .options import SiteOptions
from .rules import PRUNE_RULES, PruneRule

log = logging.getLogger(__name__)

__all__ = ["extract_body_lines", "prune_boilerplate", "wrap_loose_text", "paragraph_cluster"]

_TAG_RULES = {tag: rule for rule in reversed(PRUNE_RULES) for tag in rule.tags}


def _word_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Whole dash/underscore-separated parts of class names or ids, any case."""
    alternatives = "|".join(re.escape(w).replace("\\-", "[-_]") for w in words)
    return re.compile(r"(?:^|[\s_-])(?:" + alternatives + r")(?=$|[\s_-])", re.I)


_WORD_RULES = tuple((rule, _word_pattern(rule.words)) for rule in PRUNE_RULES if rule.words)
_ANY_WORD = _word_pattern(tuple(w for rule in PRUNE_RULES for w in rule.words))
_NEVER_PRUNED = frozenset(("article", "main", "body", "html"))
# containers whose paragraphs are not the article's: forms, asides, navigation, footers,
# comment sections, sidebars (by tag, or by a substring of the class or id)
_OUTSIDE_TAGS = frozenset(("form", "aside", "nav", "footer"))
_OUTSIDE_CLASS_PARTS = ("comment", "komentar", "footer", "sidebar")
_OUTSIDE_ID_PARTS = ("comment", "footer", "sidebar")
_OWN_TEXT = XPath(".//text()[not(ancestor::script or ancestor::style)]")
_LONG_PARAGRAPHS = XPath(".//p[string-length(normalize-space()) > 120]")
_INLINE = frozenset(
    ("a", "abbr", "b", "bdi", "bdo", "cite", "code", "dfn", "em", "font", "i", "kbd", "mark", "q",
     "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr")
)  # fmt: skip
_CONTAINERS = ("div", "span", "section", "article", "td", "main", "center", "font")
_TEXT_BLOCKS = XPath(
    ".//p | .//div[not(.//div or .//p or .//table or .//ul)] | "
    ".//h2 | .//h3 | .//blockquote[not(.//p)]"
)
_BLOCK_LINES = XPath(
    "./p | ./h2 | ./h3 | ./h4 | ./blockquote | ./ul/li | ./ol/li | ./table//tr | ./div[not(*)]"
)


@lru_cache(maxsize=4096)
def _rule_for_names(names: str) -> PruneRule | None:
    """The first word rule matching a "class id" string. Cached: pages of one outlet repeat the
    same few hundred class strings, and the regex search per element was the pruner's cost."""
    if not _ANY_WORD.search(names):
        return None
    for rule, pattern in _WORD_RULES:
        if pattern.search(names):
            return rule
    return None


def _rule_for(entry: Entry) -> PruneRule | None:
    if entry.tag in _TAG_RULES:
        return _TAG_RULES[entry.tag]
    names = entry.classes
    if entry.ident:
        names = f"{names} {entry.ident}" if names else entry.ident
    return _rule_for_names(names) if names else None


def _is_prunable(entry: Entry) -> bool:
    rule = _rule_for(entry)
    if rule is None or entry.tag in _NEVER_PRUNED:
        return False
    element = entry.element
    if rule.name == "share_bars" and _QUOTED_POST(element):
        return False  # "social-media-embed": an embedded post the article quotes, not a share bar
    if rule.max_chars is not None and len(element.text_content().strip()) > rule.max_chars:
        return False
    return len(_LONG_PARAGRAPHS(element)) < 3


_QUOTED_POST = XPath(".//blockquote[1]")


def prune_boilerplate(
    tree: HtmlElement, options: SiteOptions, page: PageElements | None = None
) -> HtmlElement:
    """Remove elements matched by PRUNE_RULES (and the outlet's prune_xpaths) in place.

    Containers that are the article itself (<article>, <main>, <body>) and elements that hold
    several long paragraphs are never removed, so a loose class match cannot empty a page.
    ``page``: the PageElements of the page as it is now, when the caller has them already (its
    entries must still be the tree's elements: nothing may have been cut since it was built).
    """
    page = page or PageElements(tree)
    doomed: list[HtmlElement] = []
    index = page.position(tree)
    end = page.subtree_end(index)
    while index < end:  # the elements of ``tree`` in document order
        entry = page.entries[index]
        if _is_prunable(entry) and entry.element.get(REVEALED) is None:
            doomed.append(entry.element)
            index = page.subtree_end(index)  # goes with its container: what is inside is not tested
        else:
            index += 1
    for expr in options.prune_xpaths:
        doomed.extend(e for e in tree.xpath(expr) if isinstance(e, HtmlElement))
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()
    return tree


_NEVER_BODY = (
    "script", "style", "noscript", "template", "svg", "nav", "aside", "footer", "select",
    "iframe", "object", "embed", "canvas", "button", "input", "textarea", "link", "meta",
)  # fmt: skip
REVEALED = "data-pantau-revealed"
_HIDDEN = re.compile(r"display\s*:\s*none\s*;?", re.I)


def reveal_hidden_pages(page: PageElements) -> int:
    """Show the later pages of an article that the page hides until the reader clicks "next".

    Some outlets ship every page of a long article in one HTML and hide all but the first with
    ``display:none`` (Merdeka's ``paging-content`` blocks inside the first page's
    ``mdk-body-paragraph``). A hidden block holding paragraphs whose classes include all the
    classes of a visible sibling or parent holding paragraphs is such a page: the same kind of
    container, in the same place, only not shown yet. Hidden blocks without a visible twin
    (pop-ups, menus, ad frames) stay hidden. Returns how many blocks were revealed.
    """
    revealed = 0
    for entry in page.entries:
        element = entry.element
        style = element.get("style")
        if not style or not entry.classes or not _HIDDEN.search(style) or not entry.in_body:
            continue
        parent = element.getparent()
        if parent is None or element.find(".//p") is None:
            continue
        classes = set(entry.classes.split())
        twin = next(
            (
                other
                for other in (parent, *parent)
                if other is not element
                and isinstance(other.tag, str)
                and set((other.get("class") or "").split()) <= classes
                and (other.get("class") or "").strip()
                and not _HIDDEN.search(other.get("style") or "")
                and other.find("p") is not None
            ),
            None,
        )
        if twin is not None:
            element.set("style", _HIDDEN.sub("", style))
            element.set(REVEALED, "1")  # a page of the body: no prune rule takes it
            revealed += 1
    return revealed


def _loose_text_length(element: HtmlElement) -> int:
    total = len((element.text or "").strip())
    for child in element:
        total += len((child.tail or "").strip())
    return total


def _is_inline(child: HtmlElement) -> bool:
    tag = child.tag
    if not isinstance(tag, str) or tag not in _INLINE:
        return False
    return not any(
        isinstance(d.tag, str) and d.tag not in _INLINE and d.tag != "br"
        for d in child.iterdescendants()
    )


def _wrap(element: HtmlElement) -> None:
    children = list(element)
    new: list[HtmlElement] = []
    current: list[HtmlElement | None] = [None]

    def open_paragraph() -> HtmlElement:
        paragraph = element.makeelement("p", {})
        new.append(paragraph)
        current[0] = paragraph
        return paragraph

    def add_text(text: str | None) -> None:
        if not text:
            return
        paragraph = current[0]
        if paragraph is None:
            if text.strip():
                open_paragraph().text = text
        elif len(paragraph):
            paragraph[-1].tail = (paragraph[-1].tail or "") + text
        else:
            paragraph.text = (paragraph.text or "") + text

    add_text(element.text)
    element.text = None
    for child in children:
        tail, child.tail = child.tail, None
        element.remove(child)
        if isinstance(child.tag, str) and child.tag == "br":
            current[0] = None
        elif _is_inline(child):
            (current[0] if current[0] is not None else open_paragraph()).append(child)
        else:
            current[0] = None
            new.append(child)
        add_text(tail)
    for item in new:
        element.append(item)


def wrap_loose_text(tree: HtmlElement) -> HtmlElement:
    """Wrap text written directly inside containers that also hold blocks or <br> into <p>s."""
    targets = [
        element
        for element in tree.iter(*_CONTAINERS)
        if _loose_text_length(element) >= 40
        and any(not _is_inline(c) for c in element if isinstance(c.tag, str))
    ]
    for element in targets:
        _wrap(element)
    return tree


_SENTENCE = re.compile(r"^(?=(?:\S+\s+){7,})[^\n]{30,400}[.!?][\"”’)]?$")


def sentence_headings_to_paragraphs(tree: HtmlElement) -> int:
    """Turn headings that are whole sentences into paragraphs; returns how many.

    A photo listicle ("5 Potret …") gives each photo a numbered heading that is its only text:
    "<h2>1. Cassandra Lee terlihat menggunakan busana … pribadinya.</h2>". A heading of eight or
    more words ending in a full stop is running text, not a title (titles end without one), and
    trafilatura drops headings that no paragraph follows.
    """
    changed = 0
    for heading in tree.iter("h2", "h3", "h4"):
        if heading.find(".//a") is not None:
            continue  # a teaser linking to another article
        if _SENTENCE.match(" ".join(heading.text_content().split())):
            heading.tag = "p"
            changed += 1
    return changed


def _outside_containers(page: PageElements) -> set[HtmlElement]:
    """The page's containers of non-article paragraphs (see _OUTSIDE_TAGS), so that each block's
    ancestors are looked up in a set rather than tested by XPath."""
    return {
        entry.element
        for entry in page.entries
        if entry.tag in _OUTSIDE_TAGS
        or has_part(entry.classes, _OUTSIDE_CLASS_PARTS)
        or has_part(entry.ident, _OUTSIDE_ID_PARTS)
    }


def _block_text(element: HtmlElement, outside: set[HtmlElement]) -> str | None:
    """The text of a paragraph-like block with little link text, or None (also when the block
    lies inside one of the ``outside`` containers)."""
    if not outside.isdisjoint(element.iterancestors()):
        return None
    text = " ".join(" ".join(_OWN_TEXT(element)).split())
    if len(text) < 40:
        return None
    linked = sum(len(" ".join(a.text_content().split())) for a in element.iter("a"))
    return None if linked > 0.5 * len(text) else text


def paragraph_cluster(tree: HtmlElement, page: PageElements | None = None) -> list[str]:
    """Lines of the element holding the most paragraph text (links and short lines excluded).

    Paragraphs are <p> and leaf <div>s (no block inside). The container with the most of
    their text wins; its parent takes over when it holds a fair share too (sibling blocks of
    one article body), then every paragraph under it is a line, in document order.
    ``page``: PageElements of the page, also taken before elements were removed from it.
    """
    outside = _outside_containers(page or PageElements(tree))
    texts: dict[HtmlElement, str] = {}  # every block's text, in document order
    scores: dict[HtmlElement, int] = defaultdict(int)
    for block in _TEXT_BLOCKS(tree):
        text = _block_text(block, outside)
        parent = block.getparent()
        if text and parent is not None:
            texts[block] = text
            scores[parent] += len(text)
    if not scores:
        return []
    best = max(scores, key=lambda e: scores[e])
    parent = best.getparent()
    while parent is not None and scores.get(parent, 0) >= 0.25 * scores[best]:
        scores[parent] += scores[best]
        best, parent = parent, parent.getparent()
    # the blocks under ``best`` are those of the whole page that descend from it
    return [texts[element] for element in best.iterdescendants() if element in texts]


_LIST_MARKER = re.compile(r"^- (?=\S)")


def extract_body_lines(
    tree: HtmlElement,
    url: str,
    options: SiteOptions,
    anchors: frozenset[str] = frozenset(),
    page: PageElements | None = None,
) -> list[str]:
    """Body text lines of the page (one paragraph, list item or table row per line).

    Prunes and rewrites ``tree`` in place: read the page's metadata before calling this.
    ``page``: the PageElements of ``tree`` as it is now, when the caller has them already.
    """
    page = page or PageElements(tree)
    reveal_hidden_pages(page)
    # the pruner walks the page's elements as ``page`` collected them: before anything is cut
    prune_boilerplate(tree, options, page)
    # what trafilatura's own cleaning removes whole anyway, removed in one C-level pass: its
    # XPath passes then walk a smaller tree (forms stay: some sites wrap the whole page in one)
    strip_elements(tree, *_NEVER_BODY, with_tail=False)
    work = wrap_loose_text(tree)
    sentence_headings_to_paragraphs(work)
    if options.body_xpath:
        found = work.xpath(options.body_xpath)
        if found and isinstance(found[0], HtmlElement):
            lines = [" ".join(el.text_content().split()) for el in _BLOCK_LINES(found[0])]
            lines = [x for x in lines if x]
            if lines:
                return lines
    document = trafilatura.bare_extraction(
        work,
        url=url,
        favor_precision=options.favor == "precision",
        favor_recall=options.favor == "recall",
        # fast: no readability/justext comparison. Measured on the corpus, realpages and AEB,
        # the paragraph-cluster fallback below recovers what the comparison would, at a
        # fraction of the cost (bench/eval_extract.py, bench/extract_speed.py).
        fast=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        with_metadata=False,
    )
    text = getattr(document, "text", None)
    # trafilatura writes a list item as "- item": the marker is its formatting, not the page's
    raw = text.split("\n") if isinstance(text, str) and text else []
    lines = [_LIST_MARKER.sub("", x) for x in raw]
    total = sum(len(x) for x in lines)
    own = sum(len(x) for x in lines if normalise_key(x) not in anchors)
    if own < 2500 or own < 0.5 * total:
        # page was taken before pruning: its outside containers that were removed since hold
        # no block of ``work`` any more, so they change nothing
        cluster = paragraph_cluster(work, page)
        size = sum(len(x) for x in cluster)
        extracted = normalise_key(" ".join(lines))
        shared = sum(len(x) for x in cluster if normalise_key(x) in extracted)
        disjoint = size and shared < 0.2 * size  # trafilatura took some other block
        # trafilatura found part of the cluster and missed sibling paragraphs of it
        partial = shared >= 0.6 * own and size >= 1.15 * shared + 100
        if size >= 400 and (
            size > 2.5 * own
            or (size > 2 * own and own < 0.5 * total)
            or (disjoint and size > own)
            or partial
        ):
            log.debug("%s: trafilatura kept %d own chars, paragraph cluster has %d", url, own, size)
            return cluster
    return lines
