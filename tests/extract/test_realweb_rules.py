"""The generic rules for real pages, one test each: credits, tags, language, time, tails."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from extract import extract_article
from extract.cleanup import clean_body, split_dateline, tail_rule_for
from extract.language import detect_language
from extract.names import clean_names, credits_from_byline
from extract.tags import clean_tags

ID_TEXT = (
    "Pemerintah Kota Bandung memutuskan untuk membatasi dan memperketat kegiatan masyarakat "
    "buntut dari lonjakan kasus. Kebijakan ini termasuk membatasi jam operasional pusat "
    "perbelanjaan dan rumah makan selama dua pekan ke depan, kata wali kota kepada wartawan."
)
EN_TEXT = (
    "The finance minister said on Tuesday that the government would keep the budget deficit "
    "below three percent of gross domestic product next year, despite pressure to raise "
    "spending on infrastructure and social programmes before the election."
)
BODY = (
    "Pemerintah daerah menyiapkan anggaran tambahan untuk perbaikan jalan desa tahun depan, "
    "kata kepala dinas pekerjaan umum setempat kepada wartawan di kantornya."
)


def _page(head: str = "", byline: str = "", tail: str = "", lang: str = "id") -> str:
    paras = "".join(f"<p>{p}</p>" for p in (BODY, ID_TEXT, BODY.replace("desa", "kota")))
    return (
        f'<html lang="{lang}"><head><meta charset="utf-8"><title>Judul Berita Hari Ini</title>'
        f"{head}</head><body><article><h1>Judul Berita Hari Ini</h1>{byline}"
        f"<div class='content'>{paras}{tail}</div></article></body></html>"
    )


@pytest.mark.parametrize(
    ("text", "credits"),
    [
        ("Penulis: Kontributor Lhokseumawe, Masriadi", [("author", "Masriadi")]),
        ("Dewi Kania Jurnalis", [("author", "Dewi Kania")]),
        ("Posted by Maria Ulfa", [("author", "Maria Ulfa")]),
        ("Penulis Rina Ayu Editor Agus Salim", [("author", "Rina Ayu"), ("editor", "Agus Salim")]),
        ("Yuslianson Editor", [("editor", "Yuslianson")]),
        # a role word opening a sentence (an author's bio) credits nobody
        ("Jurnalis yang meliput isu lingkungan hidup di Sumatera Barat sejak 2010", []),
    ],
)
def test_credit_lines_name_people_and_their_roles(
    text: str, credits: list[tuple[str, str]]
) -> None:
    got = [(kind, clean_names([names])[0]) for kind, names in credits_from_byline(text)]
    assert got == credits


@pytest.mark.parametrize(
    "label", ["Posted by", "Diterbitkan", "Jurnalis", "Kompas Cyber Media", "Tim Redaksi",
              "Humas Polri", "Biro Pers Setpres"]
)
def test_labels_publishers_and_organisations_are_no_authors(label: str) -> None:
    assert clean_names([label], ("KOMPAS.com", "kompas")) == []


def test_written_byline_beats_publisher_metadata_and_editor_is_apart() -> None:
    head = '<meta name="author" content="Kompas Cyber Media">'
    byline = "<table><tr><td>Penulis</td><td>: Nabilla Tashandra</td></tr>"
    byline += "<tr><td>Editor</td><td>: Bayu Galih</td></tr></table>"
    art = extract_article(_page(head, byline), "https://nasional.kompas.com/read/1")
    assert art.authors == ["Nabilla Tashandra"] and art.editors == ["Bayu Galih"]


def test_structured_author_labelled_editor_on_the_page_is_an_editor() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Judul",'
        ' "author": {"@type": "Person", "name": "B Kunto Wibisono"},'
        ' "creator": {"@type": "Person", "name": "Desca Lidya Natalia"}}</script>'
    )
    tail = '<p class="mt10">Editor: <span itemprop="editor">B Kunto Wibisono</span></p>'
    art = extract_article(_page(head, tail=tail), "https://www.antaranews.com/berita/1")
    assert art.authors == ["Desca Lidya Natalia"] and art.editors == ["B Kunto Wibisono"]



def test_abbreviated_roles_credit_only_before_a_colon() -> None:
    """Republika: "Rep: Mutia Ramadhani/ Red: Yudha Manggala P Putra" (reporter, redaktur)."""
    assert credits_from_byline("Rep: Mutia Ramadhani/ Red: Yudha Manggala P Putra") == [
        ("author", "Mutia Ramadhani/"), ("editor", "Yudha Manggala P Putra")]
    assert credits_from_byline("Red Sparks menang lagi", need_role=True) == []
    html = _page(tail='<div class="red"><span></span> Red: Yudha Manggala P Putra</div>')
    art = extract_article(html, "https://www.republika.co.id/berita/1")
    assert art.editors == ["Yudha Manggala P Putra"] and "Red:" not in art.text
    body = clean_body([BODY, "Rep: Mutia Ramadhani / Red: Yudha Manggala"]).paragraphs
    assert body == [BODY]


def test_a_date_read_along_with_a_credit_ends_the_name() -> None:
    """The credit and the date line stand side by side in one small header box."""
    assert clean_names(["Sukmawati Ibrahim Senin, 2 Desember 2024 14:30 WITA"]) == [
        "Sukmawati Ibrahim"]
    assert clean_names(["Corry Anestia on 15 Feb 2016, 12:00 WIB", "Rina pada 02/12/2024"]) == [
        "Corry Anestia", "Rina"]
    assert clean_names(["Senin Wibowo", "Ahmad Minggu"]) == ["Senin Wibowo", "Ahmad Minggu"]
    header = ('<div class="meta"><div>Penulis: Muh Hasim Arfah | Editor: Sukmawati Ibrahim</div>'
              "<time>Senin, 2 Desember 2024 14:30 WITA</time></div>")
    art = extract_article(_page(byline=header), "https://makassar.tribunnews.com/b/1")
    assert (art.authors, art.editors) == (["Muh Hasim Arfah"], ["Sukmawati Ibrahim"])


def test_a_reporter_signing_beside_the_outlets_brand_is_the_author() -> None:
    """Bali Post ends with "(Parwata/balipost)": a capitalised name beside the brand signs the
    report; editors' initials beside it ("(kmb/balipost)", "(Cas/Isk)") credit nobody."""
    def authors(signature: str) -> list[str]:
        head = '<meta property="og:site_name" content="BALIPOST.com">'
        html = _page(head, tail=f"<p>{ID_TEXT} <strong>{signature}</strong></p>")
        art = extract_article(html, "https://www.balipost.com/news/1")
        assert signature not in art.text
        return art.authors

    assert authors("(Parwata/balipost)") == ["Parwata"]
    assert authors("(kmb/balipost)") == [] and authors("(Cas/Isk)") == []
    # the Tribun network's form, a domain and the full name, in a paragraph of its own
    tail = "<p>(Tribunmanado.co.id/Arthur Rompis)</p>"
    art = extract_article(_page(tail=tail), "https://manado.tribunnews.com/2024/12/10/b")
    assert art.authors == ["Arthur Rompis"] and "Tribunmanado" not in art.text


def test_a_role_after_its_name_in_an_element_of_its_own() -> None:
    team = ('<div class="editorial-team"><h3>Editorial Team</h3><div class="team-row">'
            '<a href="/author/sunariyah">Sunariyah</a><span>Editor</span></div></div>')
    art = extract_article(_page(tail=team), "https://www.idntimes.com/news/1")
    assert art.editors == ["Sunariyah"]


def test_list_items_come_without_a_marker_the_page_does_not_show() -> None:
    items = ["Emas 0,5 gram: Rp 822.500", "Emas 1 gram: Rp 1.520.000"]
    html = _page(tail="<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
    lines = extract_article(html, "https://kumparan.com/b/1").text.split("\n")
    assert all(i in lines for i in items) and not any(x.startswith("- ") for x in lines)


def test_tags_drop_labels_credits_buttons_and_site_lists() -> None:
    assert clean_tags(["News:", "Editor:B Kunto Wibisono", "korupsi", "More Tag"]) == ["korupsi"]
    assert clean_tags(["#Banjir", "Topik: Jakarta", "Hashtag Lainnya..."]) == ["Banjir", "Jakarta"]
    assert clean_tags(["TAG POPULER", "Reshuffle kabinet", "Vaksin"]) == []
    assert clean_tags(["Johan Fatzry", "Kapal Selam"], ["Johan Fatzry"]) == ["Kapal Selam"]


def test_tag_box_before_the_headline_is_the_site_trending_list() -> None:
    html = _page().replace(
        "<article>",
        '<div class="kcm-tag"><ul><li><a href="/tag/a">#Ahok</a></li>'
        '<li><a href="/tag/b">#Go-Jek</a></li></ul></div><article>',
    )
    assert extract_article(html, "https://www.kompas.com/read/1").tags == []



@pytest.mark.parametrize(
    "box",
    [
        '<div class="tag_box"><h3>Topik Populer</h3><a href="/tag/1/kpk">#KPK</a></div>',
        '<div class="tag-populer"><a href="/tag/kpk">KPK</a></div>',
    ],
)
def test_a_box_of_the_sites_popular_tags_is_no_tag_box(box: str) -> None:
    """A sidebar list named by its heading or class as popular is the same on every page."""
    assert extract_article(_page(tail=box), "https://www.medcom.id/nasional/1").tags == []
    own = '<div class="tag-artikel"><a href="/tag/banjir">banjir</a></div>'
    assert extract_article(_page(tail=own + box), "https://www.medcom.id/n/1").tags == ["banjir"]


def test_language_by_content_declarations_are_priors() -> None:
    assert detect_language(ID_TEXT, "en", "id") == "id"  # template says en: the text wins
    assert detect_language(EN_TEXT, "id", "id") == "en"  # an English edition stays English
    assert detect_language("Banjir", "en", "id") == "en"  # too short to tell: the declaration
    assert detect_language(ID_TEXT, "ms", "ms") == "ms"  # Malay and Indonesian: the prior decides
    assert extract_article(_page(lang="en"), "https://x.id/1").language == "id"


@pytest.mark.parametrize(
    ("meta", "shown", "want"),
    [
        # an explicit UTC offset is an instant: never re-labelled as local time
        ("2026-11-20T02:40:29+00:00", "", "2026-11-20T09:40:29+07:00"),
        # the page shows WITA: it beats the outlet's default zone
        ("2026-11-20T10:15:00", "Jumat, 20 November 2026 10:15 WITA", "2026-11-20T10:15:00+08:00"),
        # Merdeka: metadata says -07:00, the page shows the same clock time in WIB
        ("2021-06-17T11:38:29-07:00", "17 Juni 2021 11:38 WIB", "2021-06-17T11:38:29+07:00"),
        # a -07:00 that is no Indonesian zone, on a clock the page shows without zone
        ("2021-06-17T11:38:29-07:00", "17 Juni 2021 11:38", "2021-06-17T11:38:29+07:00"),
        # the data's instant is the one the page shows: written in the shown zone, not moved
        # by an hour (13:30 WIB is 14:30 WITA; 06:30 UTC too)
        ("2024-12-02T13:30:00+07:00", "Senin, 2 Desember 2024 14:30 WITA",
         "2024-12-02T14:30:00+08:00"),
        ("2024-12-02T06:30:10Z", "Senin, 2 Desember 2024 14:30 WITA", "2024-12-02T14:30:10+08:00"),
        ("2024-12-02T14:30:00+09:00", "2 Des 2024, 14.30 WIT", "2024-12-02T14:30:00+09:00"),
    ],
)
def test_published_time_offsets(meta: str, shown: str, want: str) -> None:
    head = f'<meta property="article:published_time" content="{meta}">'
    byline = f'<div class="date">{shown}</div>' if shown else ""
    art = extract_article(_page(head, byline), "https://x.id/berita/1")
    assert art.published_at == want




def test_a_zone_the_time_element_shows_beats_its_datetime_attribute() -> None:
    """A WordPress site left on UTC+7 writes +07:00 in the meta and in <time datetime>, while
    the text shows WIT: the text is what the page displays."""
    head = ('<meta property="article:published_time" content="2025-03-10T21:15:40+07:00">'
            '<meta property="article:modified_time" content="2025-03-10T22:02:13+07:00">')
    shown = '<time datetime="2025-03-10T21:15:40+07:00">10 March 2025 21:15 WIT</time>'
    art = extract_article(_page(head, shown), "https://jubi.id/en/b/1")
    assert art.published_at == "2025-03-10T21:15:40+09:00"
    assert art.updated_at == "2025-03-10T22:02:13+09:00"  # written by the same system


def test_the_update_moves_with_a_publication_shown_in_another_zone() -> None:
    head = ('<meta property="article:published_time" content="2024-12-02T13:30:00+07:00">'
            '<meta property="article:modified_time" content="2024-12-02T15:00:00+07:00">')
    art = extract_article(_page(head, '<div class="date">2 Desember 2024 14:30 WITA</div>'),
                          "https://x.id/b/1")
    assert (art.published_at, art.updated_at) == ("2024-12-02T14:30:00+08:00",
                                                  "2024-12-02T16:00:00+08:00")
    # no display to reconcile with: the update is the data's own
    assert extract_article(_page(head), "https://x.id/b/1").updated_at == \
        "2024-12-02T15:00:00+07:00"


def test_a_date_line_with_the_update_first_gives_the_publication() -> None:
    shown = ("Diperbarui 2 Desember 2024 15:10 WITA | Dipublikasikan 2 Desember 2024 14:30 WITA")
    art = extract_article(_page(byline=f'<div class="date">{shown}</div>'), "https://x.id/b/1")
    assert art.published_at == "2024-12-02T14:30:00+08:00"
    # an update alone is the only date the page shows
    only = '<div class="date">Diperbarui 2 Desember 2024 15:10 WITA</div>'
    assert extract_article(_page(byline=only), "https://x.id/b/1").published_at == \
        "2024-12-02T15:10:00+08:00"


@pytest.mark.parametrize(
    "line",
    [
        "(Cas/Isk)",
        "(kpl/sry)",
        "(H-4)",
        "(boy/jpnn)",
        "(ant)",
        "(*)",
        "Simak Lifestyle Populer Lainnya",
        "Yuk, Simak Juga Video ini!",
        "#ChangeMaker with FIMELA",
        "detikcom, All Rights Reserved · Redaksi · Pedoman Media Siber",
        "USD 13396.00 13262.00",
        "DINI TEJA",
        "Daftarkan",
        "hubungi : sales[at]detik.com",
        "Banyak orang hebat di sekitar kita. Yuk daftarkan mereka sebagai Sosok Merdeka!",
        "Write to Al Root at allen.root@dowjones.com",
        "Send us a tip at news@balidaily.id",
        "Kirimkan berita dan informasi Anda ke redaksi@contoh.id",
    ],
)
def test_tail_lines_after_the_body_are_dropped(line: str) -> None:
    assert tail_rule_for(line) is not None
    assert clean_body([BODY, ID_TEXT, line]).paragraphs == [BODY, ID_TEXT]


@pytest.mark.parametrize(
    "line",
    [
        "8. Pintu keluar Tol Buahbatu",
        "Lantas bagaimana akhir cerita kedua sejoli ini?",
        "Harga turun lagi.",
        '"Ayo kita jaga bersama," kata dia.',
        "Warga bisa mendapatkan vaksin di puskesmas terdekat mulai pekan depan.",
        "Ia mengirim surel ke dinas@contoh.id pada Senin, kata dia.",
    ],
)
def test_closing_body_lines_stay(line: str) -> None:
    assert clean_body([BODY, ID_TEXT, line]).paragraphs[-1] == line


def test_initials_inside_the_last_line_and_dates_in_parentheses() -> None:
    assert clean_body([BODY, "8. Pintu keluar Tol Buahbatu (mdk/yan)"]).paragraphs[-1] == (
        "8. Pintu keluar Tol Buahbatu"
    )
    assert (
        clean_body([BODY, "Ia tiba di Jakarta pada Selasa (23/2)"])
        .paragraphs[-1]
        .endswith("(23/2)")
    )


def test_published_here_footers_and_kicker_labels() -> None:
    footer = "Artikel ini telah naik di detikBali dan bisa dibaca selengkapnya di sini."
    assert clean_body([BODY, ID_TEXT, footer]).paragraphs == [BODY, ID_TEXT]
    assert clean_body(["FotoBisnis", BODY, ID_TEXT]).paragraphs == [BODY, ID_TEXT]


def test_contract_page_kind_and_no_authors_on_listings() -> None:
    links = "".join(
        f'<li><a href="https://x.id/berita/{i}">Judul berita nomor {i} yang cukup panjang</a></li>'
        for i in range(40)
    )
    html = (
        '<html lang="id"><head><meta name="author" content="Ahmad Fauzi"><title>Indeks</title>'
        f"</head><body><h1>Indeks Berita</h1><ul>{links}</ul></body></html>"
    )
    art = extract_article(html, "https://x.id/indeks")
    data = art.to_dict()
    assert data["page_kind"] == "listing" and data["authors"] == [] and data["editors"] == []
    assert extract_article("", "https://x.id/1").to_dict()["page_kind"] == "other"


def test_listicle_sentence_headings_are_text_and_hidden_pages_are_read() -> None:
    items = "".join(
        f'<div class="item"><h2>{i}. Cassandra Lee terlihat anggun dalam busana putri kerajaan '
        f'Turki di foto ke-{i}.</h2><img src="/{i}.jpg"></div>'
        for i in range(1, 4)
    )
    html = _page(tail=items + "<h2>Berita Lainnya</h2>")
    text = extract_article(html, "https://x.id/berita/1").text
    assert "1. Cassandra Lee terlihat anggun" in text and "3. Cassandra" in text
    assert "Berita Lainnya" not in text
    hidden = (
        '<div class="body-paragraph"><p>' + BODY + "</p>"
        '<div class="body-paragraph paging-content" style="display:none"><p>Halaman kedua: '
        + ID_TEXT
        + '</p></div></div><div class="popup" style="display:none"><p>Langganan '
        "sekarang untuk membaca berita pilihan kami setiap hari.</p></div>"
    )
    text = extract_article(_page(tail=hidden), "https://x.id/berita/1").text
    assert "Halaman kedua" in text and "Langganan" not in text


def test_meta_keywords_are_tags_only_when_on_topic() -> None:
    from extract.tags import keywords_on_topic

    about = "29 penerbangan Bandara Internasional Lombok dibatalkan"
    assert keywords_on_topic(["penerbangan batal", "abu vulkanik"], about) == [
        "penerbangan batal",
        "abu vulkanik",
    ]
    assert keywords_on_topic(["berita", "berita terkini", "politik"], about) == []



def test_the_sites_own_search_phrases_leave_on_topic_keywords() -> None:
    """Antara puts "berita terkini, berita Indonesia, portal Indonesia, berita ekonomi" after the
    article's own keywords on every page: a keyword made only of a site's generic words, with one
    site word ("berita", "terkini", "portal") among them, goes; a topic with such a word stays."""
    from extract.tags import is_site_phrase, keywords_on_topic

    about = "Astra Otoparts luncurkan ban motor terbaru Aspira Premio"
    keywords = ["ban motor astra otoparts", "berita terkini", "portal Indonesia",
                "berita ekonomi", "Timnas Indonesia", "Berita Hoaks Pemilu"]
    assert keywords_on_topic(keywords, about) == [
        "ban motor astra otoparts", "Timnas Indonesia", "Berita Hoaks Pemilu"]
    assert not is_site_phrase("Ekonomi")  # a section word alone is a topic
    assert is_site_phrase("Info Terkini") and is_site_phrase("berita hari ini")


def test_a_sentence_cut_into_keywords_is_no_tag_list() -> None:
    """Tempo English filled its keywords with a sentence, one word per comma."""
    raw = ["Forest Fire", "cover", "about", "one-third", "of", "Finland`s", "territory", "We"]
    assert clean_tags(raw) == ["Forest Fire"]
    # one-word tags without function words among them are tags
    assert clean_tags(["Banjir", "Jakarta", "BMKG", "Cuaca", "Hujan"]) == [
        "Banjir", "Jakarta", "BMKG", "Cuaca", "Hujan"]


def test_the_tag_box_a_reader_sees_comes_before_news_keywords() -> None:
    """Many CMSs fill ``news_keywords`` with a larger search list (the people named in the
    story, "dpr"); the box under the article is the tags as the reader and the outlet's tag
    pages see them. ``news_keywords`` is taken when there is no box. A class in camelCase
    ("detailsTag") names a tag box as "details-tag" does."""
    head = '<meta name="news_keywords" content="KPU, Pilpres 2024, Anies Baswedan, Prabowo">'
    box = ('<div class="detailsTag"><a href="/topic/1/kpu">#KPU</a>'
           '<a href="/topic/2/pilpres-2024">#Pilpres 2024</a></div>')
    art = extract_article(_page(head, tail=box), "https://www.bisnis.com/read/1")
    assert art.tags == ["KPU", "Pilpres 2024"]
    assert extract_article(_page(head), "https://www.bisnis.com/read/1").tags == [
        "KPU", "Pilpres 2024", "Anies Baswedan", "Prabowo"]


def test_teaser_runs_go_but_paragraphs_opening_with_a_linked_name_stay() -> None:
    from extract.names import normalise_key

    teasers = [
        "Pochettino fired by Tottenham after five years Pochettino took the club to the final",
        "Results from MLS Expansion Draft announced Here's what you need to know",
        "Messi accepts challenge from Cavani in Paris Messi seems to be getting tougher",
    ]
    anchors = frozenset(
        normalise_key(t)
        for t in (
            "Pochettino fired by Tottenham after five years",
            "Results from MLS Expansion Draft announced",
            "Messi accepts challenge from Cavani in Paris",
            "Presiden Joko Widodo",
        )
    )
    assert clean_body([BODY, ID_TEXT, *teasers], anchors=anchors).paragraphs == [BODY, ID_TEXT]
    named = [f"Presiden Joko Widodo {x}" for x in (BODY, ID_TEXT, BODY.replace("desa", "kota"))]
    assert clean_body(named, anchors=anchors).paragraphs == named



def test_a_paywall_box_ends_the_body() -> None:
    """kompas.id shows a preview, then "Berlangganan untuk membaca artikel selengkapnya" and its
    offer: the rest is not on the page. Credits after it are still read."""
    lines = [BODY, ID_TEXT, "Berlangganan untuk membaca artikel selengkapnya",
             "Nikmati akses tanpa batas ke seluruh artikel, arsip, dan ePaper Kompas.",
             "Sudah berlangganan? Masuk", "Editor: Andreas Wisnu Pradana"]
    body = clean_body(lines)
    assert body.paragraphs == [BODY, ID_TEXT]
    assert body.editor_names == ["Andreas Wisnu Pradana"]
    prose = "Ia berlangganan untuk membaca koran setiap pagi sejak 1990, katanya."
    assert clean_body([BODY, prose, ID_TEXT]).paragraphs == [BODY, prose, ID_TEXT]


def test_a_credit_stops_at_the_footer_that_holds_the_tags_beside_it() -> None:
    footer = ('<div class="article__footer"><div class="article__editor">Editor: <a href="/p/a">'
              'Andreas Wisnu Pradana</a></div><div class="article__tags"><span>Kata Kunci</span>'
              '<a href="/label/kpr">KPR</a><a href="/label/perumahan">perumahan</a></div></div>')
    art = extract_article(_page(tail=footer), "https://www.kompas.id/artikel/1")
    assert art.editors == ["Andreas Wisnu Pradana"]


def test_the_place_after_a_brand_closed_by_a_full_stop() -> None:
    """Kontan: "KONTAN.CO.ID - JAKARTA. PT Asuransi ..."; "PT." is a company, not a place."""
    assert split_dateline("KONTAN.CO.ID - JAKARTA. PT Asuransi Jiwa meluncurkan produk.") == (
        "JAKARTA", "PT Asuransi Jiwa meluncurkan produk.")
    assert split_dateline("KONTAN.CO.ID - PT. Asuransi Jiwa meluncurkan produk.") == (
        None, "PT. Asuransi Jiwa meluncurkan produk.")


def test_an_infographic_address_is_a_gallery() -> None:
    html = ('<html lang="id"><head><title>Korban Banjir Jawa Tengah</title></head><body>'
            '<article><h1>Korban Banjir Jawa Tengah</h1><img src="/i/banjir.jpg" alt="">'
            "<p>Jumlah korban banjir di Jawa Tengah sepanjang pekan ini menurut BPBD.</p>"
            "</article></body></html>")
    for word in ("infografik", "infografis", "infographic"):
        url = f"https://www.antaranews.com/{word}/4512/korban-banjir-jawa-tengah"
        assert extract_article(html, url).page_kind == "gallery"


def test_the_day_in_the_address_when_the_page_gives_no_date() -> None:
    url = "https://kabarmadura.id/2024/12/04/warga-pamekasan-panen"
    assert extract_article(_page(), url).published_at == "2024-12-04T00:00:00+07:00"
    # a date the page gives wins; a day after the fetch is no publication day
    head = '<meta property="article:published_time" content="2024-12-04T09:10:00+07:00">'
    assert extract_article(_page(head), url).published_at == "2024-12-04T09:10:00+07:00"
    fetched = datetime(2024, 12, 3, tzinfo=UTC)
    assert extract_article(_page(), url, fetched_at=fetched).published_at is None



def test_the_place_of_the_report_is_no_author() -> None:
    """"Laporan: Fatih Ramadhan, Istanbul" above a report datelined ISTANBUL."""
    byline = "<p class='author'>Laporan: Fatih Ramadhan, Istanbul</p>"
    html = _page(byline=byline).replace(f"<p>{BODY}</p>", f"<p>ISTANBUL - {BODY}</p>", 1)
    tags = '<div class="post-tags"><a href="/tag/istanbul">Istanbul</a></div>'
    html = html.replace("</article>", tags + "</article>")
    art = extract_article(html, "https://www.beritaturki.com/2024/12/02/kuliner")
    assert art.dateline == "ISTANBUL" and art.authors == ["Fatih Ramadhan"]
    assert art.tags == ["Istanbul"]  # the place is a tag; only the article's people are not



def test_a_wordpress_post_with_a_class_per_tag_is_no_tag_box() -> None:
    """WordPress classes the post's container "post-12 type-post tag-banjir tag-padang": the
    tag box inside it is the outermost box, the post is none."""
    box = ('<div class="post-tags"><a href="/tag/banjir" rel="tag">banjir</a>'
           '<a href="/tag/padang" rel="tag">padang</a></div>')
    html = _page(tail=box).replace(
        "<article>", '<div class="post-12 post type-post tag-banjir tag-padang"><article>'
    ).replace("</article>", "</article></div>").replace(' rel="tag"', "")
    art = extract_article(html, "https://www.contoh.id/2024/12/02/banjir-padang/")
    assert art.tags == ["banjir", "padang"]



def test_a_section_written_as_a_list_gives_its_first_category() -> None:
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Judul", '
          '"articleSection": "Berita, Daerah, Papua"}</script>')
    assert extract_article(_page(ld), "https://www.contoh.id/b/1").section == "Berita"


def test_an_update_day_before_a_timed_publication_is_no_update() -> None:
    head = ('<meta property="article:published_time" content="2024-12-02T09:10:00+08:00">'
            '<meta property="article:modified_time" content="2024-12-02">')
    assert extract_article(_page(head), "https://www.contoh.id/b/1").updated_at is None



def test_a_tag_box_holding_every_declared_tag_and_more_wins() -> None:
    """An SEO plugin may write only the first tag as article:tag; the box shows all of them."""
    head = '<meta property="article:tag" content="Gili Trawangan">'
    box = ('<div class="post-tags"><a href="/tag/gili">Gili Trawangan</a>'
           '<a href="/tag/sampah">pengelolaan sampah</a></div>')
    art = extract_article(_page(head, tail=box), "https://www.contoh.id/b/1")
    assert art.tags == ["Gili Trawangan", "pengelolaan sampah"]
    other = box.replace("Gili Trawangan", "Lombok")  # a box that misses a declared tag
    assert extract_article(_page(head, tail=other), "https://www.contoh.id/b/1").tags == [
        "Gili Trawangan"]



def test_a_credit_in_a_card_of_another_story_is_that_storys() -> None:
    card = ('<div class="related"><a href="/2024/12/01/lain"><h3>Harga Cabai Naik Lagi di Pontianak'
            '</h3><span class="author">Oleh Rizky Pratama</span></a></div>')
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "author": '
            '{"@type": "Person", "name": "Dwi Ayu Lestari"}}</script>')
    art = extract_article(_page(head, tail=card), "https://www.contoh.id/2024/12/02/b/")
    assert art.authors == ["Dwi Ayu Lestari"]
    assert extract_article(_page(tail=card), "https://www.contoh.id/2024/12/02/b/").authors == []
