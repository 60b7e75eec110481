"""Articles split over pages (multipage=True): page URLs, pager links, single view, joined text."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest

from fixtureweb import BOILERPLATE, FixtureWeb
from fixtureweb.content import load_outlets

SPLIT = {  # outlet -> (path, number of pages in the final state)
    "beritaturki": [
        ("/2026/11/10/rusia-akan-bekerja-sama-dengan-turki-untuk-menurunkan-ketegangan-di-"
         "nagorno-karabakh/", 3),
        ("/2026/11/11/nilai-perdagangan-turki-indonesia-ditargetkan-tembus-10-miliar-dolar/", 2),
    ],
    "detakpos": [
        ("/berita/d-7711820/warga-bekasi-mengungsi-akibat-banjir-posko-dibuka-di-8-kecamatan", 3),
        ("/berita/d-7711655/timnas-indonesia-u-23-menang-2-0-atas-vietnam", 2),
    ],
}


@pytest.fixture(scope="module")
def paged() -> Iterator[FixtureWeb]:
    with FixtureWeb(multipage=True) as web:
        yield web


def _plain(page_html: str) -> str:
    without_tags = re.sub(r"<!--.*?-->|<script.*?</script>|</?[A-Za-z][^>]*>", " ", page_html,
                          flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(without_tags))


def _record(web: FixtureWeb, url: str) -> dict:
    return next(a for a in web.expected_articles() if a["url"] == url)


def _split_urls(web: FixtureWeb) -> list[tuple[str, str, int]]:
    out = []
    for slug, articles in SPLIT.items():
        for path, count in articles:
            full = next((a for a in web.expected_articles() if a["url"].endswith(path)), None)
            assert full is not None, path
            out.append((slug, full["url"], count))
    return out


def test_the_split_articles_exist_in_the_data() -> None:
    outlets = load_outlets()
    for slug, articles in SPLIT.items():
        paths = {a.path for a in outlets[slug].articles if a.page_breaks}
        assert paths == {p for p, _ in articles}
    assert outlets["beritaturki"].article_pages == "path"
    assert outlets["beritaturki"].single_page_query is None
    assert outlets["detakpos"].article_pages == "query"
    assert outlets["detakpos"].single_page_query == "single=1"


@pytest.mark.parametrize("index", range(4))
def test_pages_hold_the_text_in_order_and_link_to_each_other(paged: FixtureWeb, fetch_at,
                                                             index: int) -> None:
    slug, url, count = _split_urls(paged)[index]
    pages = paged.article_pages(url)
    assert len(pages) == count and pages[0] == url
    paragraphs = _record(paged, url)["text"].split("\n\n")
    outlet = load_outlets()[slug]
    article = next(a for a in outlet.articles if url.endswith(a.path)).state_at(None)
    seen: list[str] = []
    for number, page_url in enumerate(pages, start=1):
        answer = fetch_at(paged.port, page_url)
        assert answer.status == 200, page_url
        text = _plain(answer.text)
        own = [p for p in paragraphs if re.sub(r"\s+", " ", p) in text]
        seen += own
        assert own, page_url
        prefix = outlet.dateline_prefix(article)
        assert (prefix in text) == (number == 1)  # the dateline opens page 1 only
        if article.initials:
            assert (article.initials in text) == (number == count)
        following = re.search(r"""<link rel="next" href="([^"]+)" />""", answer.text)
        assert (following.group(1) if following else None) == \
            (pages[number] if number < count else None)
        for chrome in {"beritaturki": ["Halaman:"], "detakpos": ["Halaman"]}[slug]:
            assert chrome in text
        if slug == "detakpos" and number < count:
            assert re.search(r'href="([^"]+)"[^>]*>Halaman selanjutnya<', answer.text).group(1) \
                == pages[number]
    assert seen == paragraphs  # every paragraph on exactly one page, in reading order
    assert fetch_at(paged.port, pages[-1].replace(f"{count}/", f"{count + 1}/")
                    if slug == "beritaturki" else f"{url}?page={count + 1}").status == 404


def test_detakpos_offers_a_single_page_view(paged: FixtureWeb, fetch_at) -> None:
    _, url, _ = _split_urls(paged)[2]
    single = paged.single_page_url(url)
    assert single == url + "?single=1"
    text = _plain(fetch_at(paged.port, single).text)
    for paragraph in _record(paged, url)["text"].split("\n\n"):
        assert re.sub(r"\s+", " ", paragraph) in text
    assert "Halaman selanjutnya" not in text
    page1 = fetch_at(paged.port, url).text
    assert f'href="{single}"' in page1 and "Tampilkan semua" in _plain(page1)


def test_beritaturki_has_no_single_view_and_canonical_per_page(paged: FixtureWeb,
                                                               fetch_at) -> None:
    _, url, _ = _split_urls(paged)[0]
    assert paged.single_page_url(url) is None
    page2 = paged.article_pages(url)[1]
    assert page2 == url + "2/"
    assert not re.search(load_outlets()["beritaturki"].article_pattern, page2)
    assert f'<link rel="canonical" href="{page2}" />' in fetch_at(paged.port, page2).text
    first = _record(paged, url)["text"].split("\n\n")
    asked_single = _plain(fetch_at(paged.port, url + "?single=1").text)
    assert re.sub(r"\s+", " ", first[-1]) not in asked_single  # just page 1


def test_detakpos_pages_point_their_canonical_at_the_article(paged: FixtureWeb,
                                                             fetch_at) -> None:
    _, url, _ = _split_urls(paged)[3]
    page2 = fetch_at(paged.port, url + "?page=2").text
    assert f'<link rel="canonical" href="{url}" />' in page2


def test_later_updates_land_on_the_last_page(paged: FixtureWeb, fetch_at) -> None:
    _, url, count = _split_urls(paged)[2]  # the Bekasi article, updated twice
    last = _plain(fetch_at(paged.port, paged.article_pages(url)[-1]).text)
    assert "5.100 jiwa" in last and count == 3


def test_without_multipage_the_article_is_one_page(web: FixtureWeb, paged: FixtureWeb,
                                                   fetch) -> None:
    assert web.expected_articles()[0]["text"] == paged.expected_articles()[0]["text"]
    for _, url, _ in _split_urls(web):
        assert web.article_pages(url) == [url] and web.single_page_url(url) is None
        text = _plain(fetch(url).text)
        assert "Halaman selanjutnya" not in text and "Halaman:" not in text
        for paragraph in _record(web, url)["text"].split("\n\n"):
            assert re.sub(r"\s+", " ", paragraph) in text
    wordpress_page2 = _split_urls(web)[0][1] + "2/"
    assert fetch(wordpress_page2).status == 404


def test_pager_strings_are_boilerplate() -> None:
    assert {"Halaman:"} <= set(BOILERPLATE["beritaturki"])
    assert {"Halaman selanjutnya", "Tampilkan semua"} <= set(BOILERPLATE["detakpos"])
    assert not {"Halaman:", "Halaman selanjutnya"} & set(BOILERPLATE["iphedia"])


def test_unknown_article_url_is_a_key_error(paged: FixtureWeb) -> None:
    with pytest.raises(KeyError, match="not the URL of a fixture article"):
        paged.article_pages(paged.base_url("iphedia") + "2026/11/tidak-ada.html")
