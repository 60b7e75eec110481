"""The outlet registry (the repo's sources.yaml) against evidence.

- every outlet's ``article_pattern`` takes every real article URL of that outlet saved in
  ``../shared/realpages*`` (old and current URL forms) and rejects their listing URLs (skipped
  when the shared folder is absent);
- the same for the URL forms below, one or more per outlet as the outlets publish them (they run
  everywhere, so a plain clone still tests every pattern);
- no URL of either set is claimed by two outlets (the Tribun network shares tribunnews.com);
- outlets with saved real pages say so in ``checked``.
"""

from __future__ import annotations

import pytest

from core.config import Source, load_sources
from core.settings import REPO_ROOT
from extract.urls import is_on_site
from tests.realpages import FOLDER_SOURCE, needs_realpages, real_urls

SOURCES = load_sources(REPO_ROOT / "sources.yaml")
BY_NAME = {s.name: s for s in SOURCES}

# Article URL forms per outlet (old and current), and listing pages the pattern must reject.
ARTICLES: dict[str, list[str]] = {
    "antara": ["https://www.antaranews.com/berita/4123456/harga-beras-naik-di-pasar-induk"],
    "bisnis": ["https://ekonomi.bisnis.com/read/20240115/9/1732456/rupiah-melemah-pagi-ini"],
    "cnn_indonesia": [
        "https://www.cnnindonesia.com/nasional/20240115123456-20-1050123/kpk-periksa-pejabat"
    ],
    "detik": [
        "https://news.detik.com/berita/d-7140000/banjir-rendam-bekasi",
        "https://finance.detik.com/berita-ekonomi-bisnis/d-7140001/harga-cabai-naik",
    ],
    "jawapos": [
        "https://www.jawapos.com/nasional/014123456/kpk-tetapkan-tersangka-baru",
        "https://www.jawapos.com/nasional/hukum-kriminal/15/01/2022/polisi-tangkap-pelaku/",
    ],
    "kompas": [
        "https://nasional.kompas.com/read/2024/01/15/12345671/dpr-setujui-ruu",
        "https://www.kompas.com/tren/read/2024/01/15/063000165/cuaca-ekstrem-sepekan",
    ],
    "kontan": ["https://nasional.kontan.co.id/news/harga-bbm-turun-mulai-besok"],
    "kumparan": ["https://kumparan.com/kumparannews/jokowi-resmikan-bendungan-baru-21ABcDeFgHi"],
    "liputan6": ["https://www.liputan6.com/news/read/5512345/banjir-jakarta-surut"],
    "media_indonesia": ["https://mediaindonesia.com/politik-dan-hukum/643210/kpu-tetapkan-dpt"],
    "merdeka": ["https://www.merdeka.com/peristiwa/banjir-rendam-ratusan-rumah-12345.html"],
    "okezone": ["https://news.okezone.com/read/2024/01/15/337/2956789/polisi-usut-kasus"],
    "republika": ["https://www.republika.co.id/berita/s7m0ab320/menag-umumkan-awal-ramadhan"],
    "sindonews": ["https://nasional.sindonews.com/read/1234567/12/dpr-sahkan-uu-1705300000"],
    "suara": ["https://www.suara.com/news/2024/01/15/123456/warga-mengungsi-akibat-banjir"],
    "tempo": [
        "https://nasional.tempo.co/read/1234567/kpk-periksa-menteri",
        "https://www.tempo.co/politik/prabowo-lantik-menteri-baru-1188888",
    ],
    "the_jakarta_post": [
        "https://www.thejakartapost.com/indonesia/2024/01/15/floods-hit-jakarta.html"
    ],
    "tribunnews": [
        "https://www.tribunnews.com/nasional/2024/01/15/kpk-tahan-bupati",
        "https://www.tribunnews.com/regional/2024/01/15/banjir-bandang-di-garut",
    ],
    "viva": [
        "https://www.viva.co.id/berita/politik/1672345-dpr-gelar-rapat-paripurna",
        "https://www.viva.co.id/bola/liga-inggris/1672346-arsenal-menang-tipis",
    ],
    "beritasatu": ["https://www.beritasatu.com/nasional/2801234/kpu-umumkan-hasil-rekapitulasi"],
    "serambinews": ["https://aceh.tribunnews.com/2024/01/15/banjir-rendam-aceh-utara"],
    "waspada": ["https://waspada.id/sumut/banjir-rendam-puluhan-rumah-di-medan/"],
    "lampung_post": ["https://lampost.co/lampung/bandar-lampung/harga-cabai-di-bandar-lampung-naik/"],
    "tribun_jabar": ["https://jabar.tribunnews.com/2024/01/15/gempa-guncang-sukabumi"],
    "pikiran_rakyat": ["https://www.pikiran-rakyat.com/nasional/pr-017654321/harga-beras-naik"],
    "radar_bogor": [
        "https://www.radarbogor.id/2019/05/20/jalan-puncak-macet-parah/",
        "https://www.radarbogor.id/bogor-raya/2141234567/banjir-di-bogor-utara",
    ],
    "suara_merdeka": ["https://www.suaramerdeka.com/nasional/pr-041234567/jateng-siaga-banjir"],
    "harian_jogja": [
        "https://jogjapolitan.harianjogja.com/read/2024/01/15/510/1161234/kemacetan-di-sleman"
    ],
    "bali_post": ["https://www.balipost.com/news/2024/01/15/312345/Wisatawan-Padati-Kuta.html"],
    "tribun_timur": ["https://makassar.tribunnews.com/2024/01/15/pilwalkot-makassar-memanas"],
    "banjarmasin_post": ["https://banjarmasin.tribunnews.com/2024/01/15/banjir-di-martapura"],
    "jubi": ["https://jubi.id/tanah-papua/2023/warga-jayapura-menolak-penggusuran/"],
    "beritaturki": ["https://beritaturki.com/2026/11/16/turki-dan-indonesia-sepakati-kerja-sama/"],
    "iphedia": ["https://www.iphedia.com/2026/11/hama-padi-serang-sawah-petani.html"],
}
# Per outlet: its home page plus one section/tag/index page where the URL shape is known.
LISTINGS: dict[str, list[str]] = {
    "detik": ["https://news.detik.com/indeks", "https://news.detik.com/berita"],
    "kompas": ["https://indeks.kompas.com/", "https://nasional.kompas.com/"],
    "kontan": ["https://www.kontan.co.id/news", "https://nasional.kontan.co.id/"],
    "kumparan": ["https://kumparan.com/kumparannews", "https://kumparan.com/trending"],
    "merdeka": ["https://www.merdeka.com/peristiwa/", "https://www.merdeka.com/index.html"],
    "republika": ["https://www.republika.co.id/berita/", "https://news.republika.co.id/"],
    "tempo": ["https://www.tempo.co/politik", "https://nasional.tempo.co/"],
    "tribunnews": ["https://www.tribunnews.com/regional", "https://www.tribunnews.com/nasional"],
    "viva": ["https://www.viva.co.id/berita/politik", "https://www.viva.co.id/bola"],
    "waspada": ["https://waspada.id/sumut/", "https://waspada.id/tag/banjir-medan-utara/"],
    "lampung_post": ["https://lampost.co/lampung/bandar-lampung/", "https://lampost.co/tag/banjir/"],
    "tribun_jabar": ["https://jabar.tribunnews.com/bandung-raya"],
    "jubi": ["https://jubi.id/tanah-papua/", "https://jubi.id/tanah-papua/2023/"],
}


def _listings(source: Source) -> list[str]:
    return [source.url, *LISTINGS.get(source.name, [])]


def test_every_outlet_has_an_article_pattern_and_url_forms() -> None:
    assert [s.name for s in SOURCES if not s.article_pattern] == []
    assert sorted(ARTICLES) == sorted(BY_NAME)  # a new outlet brings its URL forms here


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_pattern_takes_article_url_forms_and_rejects_listings(name: str) -> None:
    source = BY_NAME[name]
    assert [u for u in ARTICLES[name] if not source.claims(u)] == []
    assert [u for u in _listings(source) if source.claims(u)] == []


def _claimants(url: str) -> list[str]:
    return [s.name for s in SOURCES if s.claims(url)]


def test_no_two_outlets_claim_one_url() -> None:
    urls = [u for forms in ARTICLES.values() for u in forms]
    urls += [u for _, u, _ in real_urls()]
    shared = {u: names for u in urls if len(names := _claimants(u)) > 1}
    assert shared == {}


def test_each_url_form_is_claimed_by_its_own_outlet_only() -> None:
    wrong = {u: _claimants(u) for name, forms in ARTICLES.items() for u in forms
             if _claimants(u) != [name]}
    assert wrong == {}


def test_tribun_regional_sites_are_distinct() -> None:
    url = "https://jabar.tribunnews.com/2024/01/15/gempa-guncang-sukabumi"
    assert _claimants(url) == ["tribun_jabar"]
    regional_desk = "https://www.tribunnews.com/regional/2024/01/15/banjir-bandang-di-garut"
    assert _claimants(regional_desk) == ["tribunnews"]


@needs_realpages
@pytest.mark.parametrize("name", sorted(set(FOLDER_SOURCE.values())))
def test_pattern_takes_every_real_article_url_and_rejects_real_listings(name: str) -> None:
    source = BY_NAME[name]
    mine = [(u, kind) for folder, u, kind in real_urls()
            if FOLDER_SOURCE.get(folder) == name and is_on_site(u, source.host)]
    articles = [u for u, kind in mine if kind == "article"]
    assert articles, f"no real article URL of {name} on its site"
    assert [u for u in articles if not source.claims(u)] == []
    assert [u for u, kind in mine if kind == "listing" and source.claims(u)] == []


@needs_realpages
def test_real_urls_of_outlets_pantau_does_not_follow_are_claimed_by_none() -> None:
    others = [u for folder, u, _ in real_urls() if folder not in FOLDER_SOURCE]
    assert others and {u: _claimants(u) for u in others if _claimants(u)} == {}


@needs_realpages
def test_outlets_with_real_pages_record_the_check() -> None:
    unrecorded = [n for n in sorted(set(FOLDER_SOURCE.values()))
                  if BY_NAME[n].checked is None or BY_NAME[n].checked.by != "real-page"]
    assert unrecorded == []
