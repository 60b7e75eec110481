"""One test per clean-up rule in extract/rules.py: what it removes, and what it must keep."""

from __future__ import annotations

import pytest
from lxml.html import fromstring

from extract.body import prune_boilerplate
from extract.cleanup import clean_body, line_rule_for, split_dateline
from extract.options import SiteOptions
from extract.rules import LINE_RULES, PRUNE_RULES

BODY = "Pemerintah daerah menyiapkan anggaran tambahan untuk perbaikan jalan desa tahun depan."

# rule name -> (lines it must drop, lines it must keep)
LINE_CASES: dict[str, tuple[list[str], list[str]]] = {
    "read_also": (
        [
            "Baca juga: Harga Cabai Naik Jelang Natal",
            "BACA JUGA: Banjir di Bekasi",
            "Simak juga: Video Banjir",
            "Lihat Juga : Galeri Foto",
            "Baca Juga Harga Beras Turun",
        ],
        [
            "Baca pula aturan yang berlaku, kata dia, sebelum mengajukan permohonan izin usaha "
            "kepada dinas terkait di tingkat kabupaten maupun provinsi yang berwenang.",
            "Ia juga membaca puisi di depan warga.",
        ],
    ),
    "read_also_inline": (
        ["Baca: Gempa Guncang Maluku", "Pilihan Editor: Harga Emas Turun"],
        ["Bacaan doa dibacakan bersama.", "Pilihan editor majalah itu jatuh pada dia."],
    ),
    "ad_marker": (
        ["ADVERTISEMENT", "SCROLL TO CONTINUE WITH CONTENT", "Advertisement", "Hide Ads",
         "Lanjut membaca", "Tutup Iklan"],
        ["Iklan rokok dilarang di televisi sejak lama, ujar pejabat itu.",
         "Lanjut membaca dokumen itu, hakim menemukan kejanggalan."],
    ),
    "detik_embed": (["[Gambas:Video 20detik]"], ["[Data diolah dari BPS]. Angka naik tajam."]),
    "next_page": (
        ["Halaman selanjutnya", "Halaman 2 dari 3", "Selanjutnya"],
        ["Halaman sekolah itu kebanjiran sejak pagi."],
    ),
    "photo_caption": (
        ["Foto: Warga mengungsi ke masjid (Antara/Rudi)", "Ilustrasi: Gedung DPR"],
        [BODY],
    ),
    "photo_caption_paren": (
        [
            "Menteri Luar Negeri Rusia, Sergei Lavrov (Foto: Reuters)",
            "Suasana pasar pagi ini. (Dok. Istimewa)",
        ],
        [BODY],
    ),
    "photo_credit_end": (
        ["Taylor Swift memberikan standing ovation untuk Joey. Foto: Grammy"],
        ["Ia memotret kejadian itu dan mengunggahnya. Foto itu viral di media sosial."],
    ),
    "share_counter": (
        ["0", "66", "1,2K Shares", "Bagikan", "Facebook", "WhatsApp"],
        ["66 orang meninggal dunia dalam kecelakaan itu."],
    ),
    "comment_form": (
        [
            "LEAVE A REPLY",
            "Please enter your comment!",
            "Please enter your name here",
            "Buka Komentar",
            "Tutup Komentar",
            "No comments:",
            "Write Komentar",
            "Tinggalkan Balasan",
        ],
        ["Komentar warga di media sosial beragam, sebagian mendukung kebijakan itu."],
    ),
    "ite_notice": (
        [
            "Komentar sepenuhnya menjadi tanggung jawab individu komentator seperti yang "
            "diatur dalam UU ITE (Undang-Undang Informasi dan Transaksi Elektronik)."
        ],
        ["Polisi menjerat pelaku dengan pasal UU ITE tentang pencemaran nama baik."],
    ),
    "comment_policy": (["Siapapun boleh berkomentar, tetapi dengan cara yang bijaksana."], [BODY]),
    "navigation": (
        ["TOPIK", "Back to Top", "Berita Terkait", "Tags", "Pilihan Untuk Anda",
         "Rekomendasi untuk Anda", "Berita Pilihan", "Bagikan artikel ini", "Share this article"],
        ["Topik rapat itu anggaran.", "Berita pilihan redaksi dibacakan di sidang itu."],
    ),
    "tag_line": (["Tags: banjir, jakarta, bpbd", "Topik: Pemilu 2029"], [BODY]),
    "published_in_footer": (
        ['Artikel ini telah tayang di Kompas.com dengan judul "Banjir".'],
        ["Artikel yang ditulisnya telah dibaca ribuan orang."],
    ),
    "newsletter_app": (
        [
            "Ikuti berita terkini dari kami di Google News, klik di sini.",
            "Dapatkan update berita pilihan setiap hari di WhatsApp Channel kami",
            "Download aplikasi kami di Play Store",
        ],
        ["Aplikasi itu kini tersedia di Play Store dan App Store sejak Senin."],
    ),
    "date_stamp": (
        ["Selasa, 23 Februari 2016", "Kamis, 05/11/2015 09:25 WIB", "23 Feb 2016 | 10:00"],
        ["Selasa, 23 Februari 2016, polisi menangkap dua tersangka pencurian."],
    ),
    "dated_teaser": (
        ["Kamis, 05/11/2015 09:25 WIB Ini Dia Tempat Terbasah di Dunia"],
        ["Kamis, 05/11/2015 pukul 09.25 WIB, hujan deras turun di kota itu."],
    ),
    "copyright": (["© 2026 Detakpos. All rights reserved."], [BODY]),
    "comment_disclaimer": (
        [
            "Disclaimer : Komentar adalah tanggapan pribadi, tidak mewakili kebijakan editorial "
            "redaksi tempo.co. Redaksi berhak mengubah kata-kata yang berbau pelecehan."
        ],
        ["Ia menolak memberi komentar soal kebijakan itu kepada wartawan di Jakarta, Senin."],
    ),
    "read_also_en": (
        ["READ MORE: China plague outbreak confirmed", "See more: Hong Kong protests"],
        ["Read more carefully, he said: the court will decide next week on the appeal."],
    ),
    "shortcode": (
        ['[button link="http://x.co.uk/submit/" type="big"] Send us YOUR kit review[/button]'],
        ["[Data diolah dari BPS]. Angka kemiskinan naik tajam tahun ini, kata peneliti."],
    ),
    "form_message": (
        ["Thanks for signing up!", "Sorry!", "There was an error processing your subscription."],
        ["Thank you for the support, the minister told reporters at the ceremony on Monday."],
    ),
    "read_count": (
        ["AADC 2 Siap Tayang April 2016Telah dibaca 2k kali", "Banjir Bekasi Dibaca 1.200 kali"],
        ["Buku itu telah dibaca berkali-kali oleh para siswa di perpustakaan sekolah."],
    ),
    "label_word": (["Oleh", "Diperbarui", "Perbesar"], ["Oleh karena itu, warga diminta waspada."]),
    "ui_hint": (
        ["Klik gambar untuk perbesar", "Geser untuk melihat foto lainnya"],
        ["Sentuhan akhir pada lukisan itu selesai pekan lalu, kata kurator museum."],
    ),
    "photo_credit_paren": (
        [
            "Penyanyi Taylor Swift memeluk Selena Gomez di Los Angeles. (REUTERS/Danny Moloshok)",
            "Foto yang dirilis TNI AL memperlihatkan bagian kapal selam. (Indonesian Navy via AP)",
        ],
        ["Harga beras naik lagi di pasar induk, kata pedagang. (Antara/rin)", BODY + " (23/2)"],
    ),
}


def test_every_line_rule_has_a_case() -> None:
    drop_rules = {rule.name for rule in LINE_RULES if rule.action == "drop"}
    assert drop_rules == set(LINE_CASES)


def test_read_also_at_the_end_of_a_paragraph_is_cut() -> None:
    line = "Harga cabai naik tajam, kata dia. Baca juga: Harga Bawang Ikut Naik"
    body = clean_body([BODY, line, "Paragraf penutup berita."])
    assert body.paragraphs[1] == "Harga cabai naik tajam, kata dia."
    assert ("read_also_tail", "Baca juga: Harga Bawang Ikut Naik") in body.dropped
    # a sentence that happens to start with "Baca juga" stays whole
    assert (
        clean_body([BODY, "Ia menutup rapat. Baca juga buku itu, katanya.", "Penutup."]).paragraphs[
            1
        ]
        == "Ia menutup rapat. Baca juga buku itu, katanya."
    )


@pytest.mark.parametrize("name", sorted(LINE_CASES))
def test_line_rule(name: str) -> None:
    drop, keep = LINE_CASES[name]
    for line in drop:
        assert line_rule_for(line) is not None, f"{name} should drop {line!r}"
    for line in keep:
        assert line_rule_for(line) is None, f"{line!r} dropped by {line_rule_for(line)}"
    rule_names = [line_rule_for(line) for line in drop]
    assert name in rule_names, f"{name} dropped none of its own lines: {rule_names}"


@pytest.mark.parametrize(
    ("paragraph", "place", "rest"),
    [
        (
            "JAKARTA, KOMPAS.com - Pemerintah menaikkan harga.",
            "JAKARTA",
            "Pemerintah menaikkan harga.",
        ),
        (
            "MOSKOW, IPHEDIA.com - Moskow menawarkan bantuan.",
            "MOSKOW",
            "Moskow menawarkan bantuan.",
        ),
        (
            "BERITATURKI.COM, Ankara- Diplomat top Rusia berkata.",
            "ANKARA",
            "Diplomat top Rusia berkata.",
        ),
        ("Jakarta - Polisi menangkap dua orang.", "JAKARTA", "Polisi menangkap dua orang."),
        ("Jakarta, CNN Indonesia -- Harga emas turun.", "JAKARTA", "Harga emas turun."),
        ("Mataram (ANTARA) - Penerbangan dibatalkan.", "MATARAM", "Penerbangan dibatalkan."),
        (
            "Liputan6.com, Jakarta - Presiden meresmikan jalan.",
            "JAKARTA",
            "Presiden meresmikan jalan.",
        ),
        ("TEMPO.CO, Jakarta - Harga naik.", "JAKARTA", "Harga naik."),
        ("KOMPAS.com - Harga naik lagi.", None, "Harga naik lagi."),
        # a hyphen inside the outlet's name is no dash
        (
            "TRIBUN-TIMUR.COM, MAKASSAR - Pemkot menyiapkan anggaran.",
            "MAKASSAR",
            "Pemkot menyiapkan anggaran.",
        ),
        ("POS-KUPANG.COM, KUPANG - Warga antre air.", "KUPANG", "Warga antre air."),
        # without any other dash, a hyphen after the place still is one
        ("MAKASSAR-Pemkot menyiapkan anggaran.", "MAKASSAR", "Pemkot menyiapkan anggaran."),
        # a colon closes the dateline (Medcom, Metro TV): a city, or a place in capitals
        ("Jakarta: " + BODY + " " + BODY, "JAKARTA", BODY + " " + BODY),
        ("KUALA LUMPUR: " + BODY + " " + BODY, "KUALA LUMPUR", BODY + " " + BODY),
        # a bar between the outlet and the place, as a comma
        ("Lintasaceh24.com | Jantho – Warga antre air.", "JANTHO", "Warga antre air."),
    ],
)
def test_dateline_split(paragraph: str, place: str | None, rest: str) -> None:
    got = split_dateline(paragraph)
    assert got is not None
    assert (got[0].upper() if got[0] else None, got[1]) == (place, rest)
    assert clean_body([paragraph, "Paragraf kedua."]).dateline == place


@pytest.mark.parametrize(
    "paragraph",
    [
        "Presiden Jokowi - yang baru tiba - langsung rapat.",
        "Dia mengatakan, pada 2020-2021 harga naik.",
        "Menurut data BPS, inflasi tahunan mencapai 2,5 persen - tertinggi tahun ini.",
        # a speaker, a label or a competition before a colon is no place
        "Anies: " + BODY + " " + BODY,
        "Liga Inggris: " + BODY + " " + BODY,
        "Foto: " + BODY + " " + BODY,
        "Jakarta: harga naik.",  # no sentence after it
    ],
)
def test_no_false_dateline(paragraph: str) -> None:
    assert split_dateline(paragraph) is None


def test_editor_initials_and_footer_removed_from_last_paragraph() -> None:
    body = clean_body([BODY, "Rusia memiliki pangkalan militer di Armenia. (rts/ip)"])
    assert body.paragraphs[-1] == "Rusia memiliki pangkalan militer di Armenia."
    body = clean_body([BODY, "Harga turun lagi.(fyk/ash)"])
    assert body.paragraphs[-1] == "Harga turun lagi."
    body = clean_body([BODY, "Harga turun. Artikel ini telah tayang di Kompas.com dengan judul X"])
    assert body.paragraphs[-1] == "Harga turun."
    # initials in the middle of the text and years in brackets stay
    body = clean_body(["Partai itu (PDI-P) menang.", "Ia lahir pada (1970)"])
    assert body.paragraphs == ["Partai itu (PDI-P) menang.", "Ia lahir pada (1970)"]


def test_bylines_in_body_become_authors_not_text() -> None:
    body = clean_body(
        [
            "Penulis: Ahmad Fauzi",
            BODY,
            "Editor: Dewi Lestari",
            "Oleh Rina Ayu",
            "Laporan Wartawan Tribunnews.com, Budi Santoso",
            "Oleh karena itu, warga diminta waspada terhadap banjir susulan.",
            "Redaktur & Reporter : Fathan Sinaga",  # jpnn: one person in two roles
        ]
    )
    assert body.paragraphs == [
        BODY,
        "Oleh karena itu, warga diminta waspada terhadap banjir susulan.",
    ]
    assert body.byline_names == ["Ahmad Fauzi", "Rina Ayu", "Budi Santoso", "Fathan Sinaga"]
    assert body.editor_names == ["Dewi Lestari", "Fathan Sinaga"]


def test_standfirst_repeated_before_dateline_is_dropped() -> None:
    standfirst = "Armenia menuduh Azerbaijan mengirim pasukan melintasi perbatasan pekan lalu."
    body = clean_body(
        [
            standfirst,
            "Menteri Luar Negeri Rusia, Sergei Lavrov (Foto: Reuters)",
            "MOSKOW, IPHEDIA.com - Moskow menawarkan bantuan.",
            standfirst,
            BODY,
        ]
    )
    assert body.dateline == "MOSKOW"
    assert body.paragraphs == ["Moskow menawarkan bantuan.", standfirst, BODY]


def test_standfirst_repeated_as_first_paragraph_is_dropped() -> None:
    standfirst = "Pemerintah menaikkan harga bahan bakar mulai pekan depan."
    body = clean_body([standfirst, standfirst + " Kenaikan itu rata-rata 10 persen.", BODY])
    assert body.paragraphs[0].startswith(standfirst + " Kenaikan")


def test_title_repeated_in_body_is_dropped() -> None:
    body = clean_body(["Banjir Rendam Bekasi", BODY], title="Banjir Rendam Bekasi")
    assert body.paragraphs == [BODY]


PRUNE_CASES: dict[str, str] = {
    "captions": '<figure><img src="a.jpg"><figcaption>Warga antre</figcaption></figure>',
    "read_also_boxes": '<div class="baca-juga"><a href="/x">Harga cabai naik</a></div>',
    "share_bars": '<div class="td-post-sharing"><a>Facebook</a><a>Twitter</a></div>',
    "ad_slots": '<div class="ads"><span>ADVERTISEMENT</span></div>',
    "tag_lists": '<ul class="td-tags"><li><a href="/tag/a">banjir</a></li></ul>',
    "bylines": '<div class="author-box">Penulis: Ahmad Fauzi</div>',
    "dates": '<span class="post-date">Selasa, 20 Nov 2026</span>',
    "comments": '<div id="comments"><h3>LEAVE A REPLY</h3></div>',
    "newsletter": '<div class="newsletter-box">Berlangganan newsletter kami</div>',
    "breadcrumbs": '<div class="breadcrumb"><a href="/">Home</a></div>',
    "pagination": '<div class="pagination"><a href="?page=2">2</a></div>',
    "embeds": '<blockquote class="instagram-media"><a>View this post on Instagram</a></blockquote>',
    "scripts": "<noscript>Aktifkan JavaScript</noscript>",
}


def test_every_prune_rule_has_a_case() -> None:
    assert {rule.name for rule in PRUNE_RULES} == set(PRUNE_CASES)


@pytest.mark.parametrize("name", sorted(PRUNE_CASES))
def test_prune_rule(name: str) -> None:
    inner = f"<p>{BODY}</p>{PRUNE_CASES[name]}<p>{BODY}</p>"
    html = f"<html><body><article>{inner}</article></body></html>"
    tree = prune_boilerplate(fromstring(html), SiteOptions())
    text = tree.text_content()
    assert text.count(BODY) == 2
    assert text.strip() == BODY + BODY


def test_prune_never_removes_the_article_container() -> None:
    paragraphs = "".join(f"<p>{BODY} {BODY}</p>" for _ in range(4))
    html = f'<html><body><div class="post-content share-enabled">{paragraphs}</div></body></html>'
    tree = prune_boilerplate(fromstring(html), SiteOptions())
    assert tree.text_content().count(BODY) == 8


@pytest.mark.parametrize(
    "attrs",
    [
        'class="post status-publish hentry"',
        'class="google-publisher-box"',
        'class="heads"',
        'class="tag-bgr-deals"',
        'id="shared-content-body"',
        'class="loading-adaptive"',
    ],
)
def test_prune_matches_whole_class_parts_only(attrs: str) -> None:
    html = f"<html><body><div {attrs}><p>{BODY}</p></div></body></html>"
    tree = prune_boilerplate(fromstring(html), SiteOptions())
    assert BODY in tree.text_content()


def test_embedded_tweets_stay() -> None:
    html = (
        f'<html><body><article><p>{BODY}</p><blockquote class="twitter-tweet"><p>Cuitan '
        "pejabat soal banjir</p></blockquote></article></body></html>"
    )
    tree = prune_boilerplate(fromstring(html), SiteOptions())
    assert "Cuitan pejabat" in tree.text_content()


def test_site_prune_xpaths_apply() -> None:
    html = f'<html><body><p>{BODY}</p><div class="promo-x">Promo</div></body></html>'
    tree = prune_boilerplate(
        fromstring(html), SiteOptions(prune_xpaths=("//div[@class='promo-x']",))
    )
    assert "Promo" not in tree.text_content()


def test_the_pruner_reaches_the_end_of_a_page_with_a_long_head() -> None:
    """The pruner walks the page's elements as they were collected; cutting scripts, styles and
    the head's meta tags first made it stop that many elements before the end of the page, so a
    "baca-juga" box near the end stayed (antara English's "Related news: …")."""
    from extract import extract_article

    head = "".join(f'<meta name="m{i}"><script>var a{i} = 1;</script>' for i in range(60))
    related = '<span class="baca-juga">Related news: Floods hit Makassar again this week</span>'
    html = (f"<html><head><title>T</title>{head}</head><body><article><h1>T</h1>"
            + "".join(f"<p>{BODY} {i}</p>" for i in range(6)) + f"<p>{related}</p>"
            + f"<p>{BODY} end</p></article></body></html>")
    text = extract_article(html, "https://en.antaranews.com/news/1").text
    assert "Related news" not in text and text.endswith("end")


def test_an_embedded_post_in_a_social_box_is_the_articles_quote() -> None:
    tweet = ('<div class="social-media-embed"><blockquote class="twitter-tweet"><p>Banjir di '
             "Makassar sudah surut pagi ini, warga mulai membersihkan rumah mereka.</p>"
             "</blockquote></div>")
    tree = fromstring(f"<html><body><article><p>{BODY}</p>{tweet}</article></body></html>")
    pruned = prune_boilerplate(tree, SiteOptions())
    assert "sudah surut" in pruned.text_content()
