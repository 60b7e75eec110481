"""The public API: contract keys, options validation, bytes input, page kinds."""

from __future__ import annotations

import json

import pytest

import extract
from extract import CONTRACT_KEYS, SiteOptions, extract_article

PARAS = [
    "Pemerintah Kota Bekasi menyiapkan 40 pompa air untuk menghadapi musim hujan tahun ini, "
    "kata Kepala Dinas Sumber Daya Air setempat kepada wartawan di Bekasi, Selasa.",
    "Menurut dia, pompa tersebut akan ditempatkan di titik-titik rawan genangan seperti "
    "perumahan di sekitar Kali Bekasi dan kawasan pusat kota yang sering terendam.",
    "Selain pompa, dinas juga menyiapkan perahu karet dan petugas siaga selama dua puluh empat "
    "jam untuk membantu warga yang terdampak banjir pada puncak musim hujan nanti.",
]


def _page(extra_head: str = "", charset: str = "utf-8", first: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    return (
        f'<html lang="id"><head><meta charset="{charset}"><title>Bekasi Siapkan Pompa Air - '
        f"Detakpos</title>{extra_head}</head><body><article><h1>Bekasi Siapkan Pompa Air</h1>"
        f"<p>{first}</p>{body}</article></body></html>"
    )


def test_imports_from_this_repository() -> None:
    assert "site-packages" not in (extract.__file__ or "")


def test_to_dict_has_exactly_the_contract_keys_in_order() -> None:
    art = extract_article(_page(), "https://detakpos.localhost/berita/1")
    assert (
        tuple(art.to_dict())
        == CONTRACT_KEYS
        == (
            "url",
            "canonical_url",
            "title",
            "text",
            "authors",
            "editors",
            "published_at",
            "updated_at",
            "section",
            "tags",
            "language",
            "site_name",
            "dateline",
            "page_kind",
        )
    )
    json.dumps(art.to_dict())


def test_basic_fields() -> None:
    head = (
        '<meta property="og:site_name" content="Detakpos">'
        '<meta property="article:published_time" content="2026-11-20T07:05:00Z">'
        '<meta name="author" content="Ahmad Fauzi">'
    )
    art = extract_article(_page(head, first="Bekasi - " + PARAS[0]), "https://x.localhost/a")
    assert art.title == "Bekasi Siapkan Pompa Air"
    assert art.published_at == "2026-11-20T14:05:00+07:00"
    assert art.authors == ["Ahmad Fauzi"]
    assert art.site_name == "Detakpos"
    assert art.language == "id"
    assert art.dateline == "BEKASI"
    assert art.is_article and art.page_kind == "article"
    assert art.text.split("\n\n")[0] == PARAS[0]


def test_bytes_with_legacy_charset_and_bom() -> None:
    page = _page(charset="windows-1252").replace("Pemerintah Kota", "Pemerintah Kota café")
    art = extract_article(page.encode("cp1252"), "https://x.localhost/a")
    assert "café" in art.text
    art = extract_article(b"\xef\xbb\xbf" + _page().encode("utf-8"), "https://x.localhost/a")
    assert PARAS[1] in art.text


def test_empty_page() -> None:
    art = extract_article(b"", "https://x.localhost/a")
    assert art.page_kind == "empty" and not art.is_article
    assert tuple(art.to_dict()) == CONTRACT_KEYS


def test_listing_page_is_not_an_article() -> None:
    items = "".join(
        f'<li><a href="/berita/{i}">Judul berita nomor {i} tentang banjir di kota</a></li>'
        for i in range(30)
    )
    html = f"<html><body><h1>Indeks Berita</h1><ul>{items}</ul></body></html>"
    art = extract_article(html, "https://x.localhost/indeks")
    assert not art.is_article
    assert art.page_kind == "listing"


def test_site_options_from_mapping() -> None:
    opts = SiteOptions.from_mapping(
        {"prune_xpaths": ["//div[@class='promo']"], "site_name": "Detakpos"},
        timezone="Asia/Makassar",
    )
    assert opts.timezone == "Asia/Makassar" and opts.language == "id"
    assert opts.prune_xpaths == ("//div[@class='promo']",)
    assert SiteOptions.from_mapping(None) == SiteOptions()


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"prune_xpath": ["//x"]}, "unknown key(s) in extract: prune_xpath; allowed keys are"),
        ({"prune_xpaths": ["//x[("]}, "invalid XPath"),
        ({"prune_xpaths": 3}, "must be a list of strings"),
        ({"timezone": "Mars/Base"}, "unknown timezone"),
        ({"favor": "speed"}, "extract.favor"),
        ({"drop_lines": ["(unclosed"]}, "invalid regex"),
    ],
)
def test_site_options_errors_say_what_to_fix(mapping: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        SiteOptions.from_mapping(mapping)


def test_site_options_change_extraction() -> None:
    page = _page().replace(
        "</article>", "<p>PROMO: diskon besar untuk pelanggan setia kami!</p></article>"
    )
    plain = extract_article(page, "https://x.localhost/a")
    assert "PROMO" in plain.text
    opts = SiteOptions.from_mapping({"drop_lines": ["^PROMO:"]})
    assert "PROMO" not in extract_article(page, "https://x.localhost/a", opts).text


def test_readme_documents_every_option_and_page_kind() -> None:
    from pathlib import Path

    readme = (Path(extract.__file__).parent / "README.md").read_text(encoding="utf-8")
    missing = [f"`{key}`" for key in SiteOptions.allowed_keys() if f"`{key}`" not in readme]
    missing += [f"`{kind}`" for kind in extract.PAGE_KINDS if f"`{kind}`" not in readme]
    assert not missing, f"extract/README.md does not document {missing}"
