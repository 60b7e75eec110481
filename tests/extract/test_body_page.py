"""Body pruning and the paragraph cluster on PageElements collected once per page."""

from __future__ import annotations

from pathlib import Path

from lxml.html import fromstring, tostring

from extract import SiteOptions
from extract.body import paragraph_cluster, prune_boilerplate, wrap_loose_text
from extract.elements import PageElements
from extract.tree import parse_html

CORPUS = Path(__file__).parent / "corpus"
BODY = "Banjir merendam ratusan rumah warga di Bekasi sejak Selasa pagi hingga sore hari."


def test_prune_only_inside_the_given_element() -> None:
    html = (
        '<html><body><div class="share">Bagikan</div><article><p>'
        + BODY
        + '</p><div class="share">Bagikan ini</div></article></body></html>'
    )
    tree = fromstring(html)
    article = tree.find(".//article")
    prune_boilerplate(article, SiteOptions())
    assert "Bagikan ini" not in tree.text_content()
    assert "Bagikan" in tree.text_content()  # outside the pruned element


def test_nested_prunable_elements_go_with_their_container_and_tails_stay() -> None:
    html = (
        "<html><body><article><p>" + BODY + "</p>"
        '<div class="related">Terkait <div class="share">Bagikan</div> lagi</div> ekor'
        '<div class="share">Bagikan juga</div>'
        "<p>" + BODY + "</p></article></body></html>"
    )
    tree = prune_boilerplate(fromstring(html), SiteOptions())
    text = " ".join(tree.text_content().split())
    assert text == f"{BODY} ekor{BODY}"


def test_a_page_taken_before_pruning_gives_the_same_body() -> None:
    checked = 0
    for path in sorted(CORPUS.glob("*.html"))[:25]:
        html = path.read_text(encoding="utf-8")
        fresh, reused = parse_html(html), parse_html(html)
        assert fresh is not None and reused is not None
        page = PageElements(reused)
        wrap_loose_text(prune_boilerplate(fresh, SiteOptions()))
        wrap_loose_text(prune_boilerplate(reused, SiteOptions(), page))
        assert tostring(fresh) == tostring(reused), path.name
        lines = paragraph_cluster(reused, page)
        assert lines == paragraph_cluster(fresh), path.name
        checked += bool(lines)
    assert checked >= 20


def test_cluster_skips_paragraphs_in_comment_sections_and_sidebars() -> None:
    long = f"<p>{BODY} {BODY}</p>"
    html = (
        f'<html><body><div class="isi">{long * 3}</div>'
        f'<div id="comments">{long * 5}</div><div class="widget-sidebar">{long * 5}</div>'
        "</body></html>"
    )
    lines = paragraph_cluster(fromstring(html))
    assert lines == [f"{BODY} {BODY}"] * 3
