"""Near-duplicates: lightly edited syndicated copies cluster; other stories on the topic don't."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from core.config import Source
from staging import StagingWriter, write_stats
from tests.warehouse.staged import article_html, page
from warehouse.db import connect_writer
from warehouse.dedup import THRESHOLD, signature, similarity
from warehouse.loader import load_run

pytestmark = pytest.mark.usefixtures("warehouse_backend")

STORY = [
    "Pemerintah Provinsi DKI Jakarta menetapkan status siaga darurat banjir selama dua pekan "
    "setelah hujan lebat mengguyur ibu kota sejak Kamis malam dan merendam ratusan rukun tetangga "
    "di lima wilayah kota administrasi.",
    "Kepala Pelaksana Badan Penanggulangan Bencana Daerah DKI Jakarta mengatakan status siaga "
    "darurat memungkinkan pemerintah menggunakan dana belanja tidak terduga untuk membeli perahu "
    "karet, pompa air bergerak, dan logistik bagi warga yang mengungsi.",
    "Menurut catatan BPBD, sebanyak 4.200 warga mengungsi ke 37 lokasi penampungan sementara, "
    "sebagian besar di Jakarta Timur dan Jakarta Selatan, yang dilalui aliran Kali Ciliwung dan "
    "Kali Sunter.",
    "Tinggi muka air di Pos Pantau Depok sempat mencapai 350 sentimeter pada Jumat dini hari "
    "sehingga status pintu air Manggarai dinaikkan menjadi siaga satu selama beberapa jam.",
    "Dinas Sumber Daya Air mengerahkan 480 pompa stasioner dan 120 pompa bergerak untuk "
    "mempercepat surutnya genangan di jalan protokol, termasuk di kawasan Kampung Melayu dan "
    "Cawang.",
    "Gubernur meminta para lurah dan camat memastikan dapur umum beroperasi tiga kali sehari serta "
    "memprioritaskan kelompok rentan seperti lanjut usia, ibu hamil, dan anak balita di lokasi "
    "pengungsian.",
    "Badan Meteorologi, Klimatologi, dan Geofisika memperkirakan hujan dengan intensitas sedang "
    "hingga lebat masih akan terjadi di wilayah Jabodetabek hingga akhir bulan karena aktifnya "
    "gelombang atmosfer di selatan khatulistiwa.",
    "Warga diimbau mematikan aliran listrik di rumah yang tergenang, menyimpan dokumen penting di "
    "tempat tinggi, dan segera menghubungi layanan darurat 112 apabila membutuhkan evakuasi.",
]

# A copy republished by another outlet: own intro sentence, light edits, last paragraph cut.
COPY_EDITED = [
    "Banjir kembali melanda ibu kota pada akhir pekan ini.",
    STORY[0].replace("Kamis malam", "Kamis (19/11) malam"),
    STORY[1].replace("mengatakan", "menyatakan"),
    STORY[2],
    STORY[3].replace("sempat mencapai", "mencapai"),
    STORY[4],
    STORY[5].replace("Gubernur", "Gubernur DKI Jakarta"),
    STORY[6],
]
# Another outlet's copy with its paragraphs merged and the middle trimmed.
COPY_TRIMMED = [" ".join(STORY[:3]), " ".join(STORY[4:6]), STORY[7]]

# Different stories on the same topic: same places and agencies, own reporting.
SAME_TOPIC = [
    [
        "Ratusan warga Kampung Melayu, Jakarta Timur, bertahan di lantai dua rumah mereka karena "
        "enggan meninggalkan harta benda meski air Kali Ciliwung terus naik sejak Kamis malam.",
        "Seorang warga, Sutrisno, mengatakan banjir tahun ini datang lebih cepat dibandingkan "
        "tahun lalu dan ia belum sempat memindahkan lemari serta kasur ke tempat yang lebih "
        "tinggi.",
        "Relawan dari sejumlah organisasi kemasyarakatan membawa nasi bungkus dan air minum "
        "menggunakan perahu karet, sementara petugas BPBD mendata warga yang membutuhkan "
        "bantuan.",
        "Ketua RT setempat berharap pemerintah mempercepat normalisasi sungai agar kampungnya "
        "tidak lagi menjadi langganan banjir setiap musim hujan tiba.",
    ],
    [
        "Pengamat tata kota menilai penetapan status siaga darurat banjir di Jakarta harus diikuti "
        "perbaikan sistem drainase yang selama ini tertinggal dari pertumbuhan kawasan permukiman.",
        "Menurut dia, kapasitas saluran di banyak jalan protokol dirancang puluhan tahun lalu dan "
        "tidak lagi mampu menampung curah hujan ekstrem yang kini makin sering terjadi.",
        "Ia juga mendorong pemerintah provinsi memperbanyak ruang terbuka hijau dan sumur resapan "
        "di setiap kelurahan, terutama di wilayah Jakarta Selatan yang menjadi daerah tangkapan "
        "air.",
        "BPBD sendiri menyebut pembangunan waduk dan tanggul baru masih berjalan dan ditargetkan "
        "rampung sebelum musim hujan tahun depan.",
    ],
]


def text(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def test_signature_similarity_separates_copies_from_other_stories() -> None:
    original = signature(text(STORY))
    assert similarity(original, signature(text(COPY_EDITED))) >= THRESHOLD
    assert similarity(original, signature(text(COPY_TRIMMED))) >= THRESHOLD
    for other in SAME_TOPIC:
        assert similarity(original, signature(text(other))) < 0.15
    assert similarity(signature(text(SAME_TOPIC[0])), signature(text(SAME_TOPIC[1]))) < 0.15


def test_signature_is_stable_and_case_insensitive() -> None:
    a = signature(text(STORY))
    assert np.array_equal(a, signature(text(STORY).upper()))
    assert np.array_equal(a, signature(text(STORY)))


def stage_outlet(staging: Path, run_id: str, name: str, items: list[tuple[str, list[str], str]],
                 fetched_at: str, published: str = "2026-11-20T14:05:00+07:00") -> Source:
    writer = StagingWriter(staging, run_id, name)
    for slug, paragraphs, title in items:
        writer.write(dict(page(f"https://{name}.id/berita/{slug}",
                               article_html(title, paragraphs, published), fetched_at),
                          source=name))
    writer.close()
    write_stats(staging, run_id, name, {"source": name, "run_id": run_id, "requests": 1,
                                        "bytes": 1, "pages": len(items), "errors": 0})
    return Source(name=name, url=f"https://{name}.id/", feeds=(f"https://{name}.id/rss",))


def clusters(con: Any) -> dict[str, str]:
    return dict(con.execute("SELECT canonical_url, cluster_id FROM articles").fetchall())


def test_loads_cluster_syndicated_copies_across_outlets_and_nights(tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    con = connect_writer(tmp_path / "w.duckdb")
    t1 = "2026-11-20T19:00:30+00:00"
    sources = [
        stage_outlet(
            staging, "r1", "antara", [("asli", STORY, "Jakarta siaga darurat banjir")], t1
        ),
        stage_outlet(staging, "r1", "kabar", [
            ("salinan", COPY_EDITED, "DKI tetapkan siaga darurat banjir dua pekan"),
            ("warga", SAME_TOPIC[0], "Warga Kampung Melayu bertahan di lantai dua"),
        ], t1),
    ]
    load_run(con, staging, "r1", sources, workers=1)
    c = clusters(con)
    assert c["https://antara.id/berita/asli"] == c["https://kabar.id/berita/salinan"]
    assert c["https://kabar.id/berita/warga"] not in (c["https://antara.id/berita/asli"],)

    # The next night a third outlet republishes the story and another writes its own analysis.
    t2 = "2026-11-21T19:00:30+00:00"
    sources.append(stage_outlet(staging, "r2", "warta", [
        ("ringkas", COPY_TRIMMED, "Siaga darurat banjir di Jakarta"),
        ("analisis", SAME_TOPIC[1], "Drainase Jakarta tertinggal"),
    ], t2))
    load_run(con, staging, "r2", sources, workers=1)
    c = clusters(con)
    story = c["https://antara.id/berita/asli"]
    assert c["https://warta.id/berita/ringkas"] == story == c["https://kabar.id/berita/salinan"]
    others = {c["https://warta.id/berita/analisis"], c["https://kabar.id/berita/warga"]}
    assert len(others | {story}) == 3

    rows = con.execute(
        "SELECT articles, outlets FROM stories ORDER BY articles DESC, story_id"
    ).fetchall()
    assert rows[0] == (3, ["antara", "kabar", "warta"])
    assert [r[0] for r in rows[1:]] == [1, 1]
    con.close()


def test_nightly_cluster_update_equals_a_full_rebuild(tmp_path: Path) -> None:
    """The load recomputes only the clusters its articles touch; an article rewritten into
    another story leaves its old cluster, which is renamed when it was named after it, and the
    result is what a rebuild over every article gives."""
    from warehouse.db import transaction
    from warehouse.dedup import _assign_clusters

    staging = tmp_path / "staging"
    con = connect_writer(tmp_path / "w.duckdb")
    t1 = "2026-11-20T19:00:30+00:00"
    sources = [
        # the original, published first: the cluster is named after it
        stage_outlet(staging, "r1", "antara", [("asli", STORY, "Jakarta siaga banjir")], t1,
                     published="2026-11-20T08:00:00+07:00"),
        stage_outlet(staging, "r1", "kabar", [("salinan", COPY_EDITED, "DKI siaga banjir")], t1),
        stage_outlet(staging, "r1", "warta", [("ringkas", COPY_TRIMMED, "Siaga banjir")], t1),
    ]
    load_run(con, staging, "r1", sources, workers=1)
    c = clusters(con)
    named = con.execute("SELECT id FROM articles WHERE source = 'antara'").fetchone()[0]
    assert {c["https://antara.id/berita/asli"], c["https://kabar.id/berita/salinan"],
            c["https://warta.id/berita/ringkas"]} == {named}
    # the next night the original is rewritten into another story: the copies stay together
    t2 = "2026-11-21T19:00:30+00:00"
    stage_outlet(staging, "r2", "antara", [("asli", SAME_TOPIC[1], "Drainase tertinggal")], t2,
                 published="2026-11-20T08:00:00+07:00")
    load_run(con, staging, "r2", sources, workers=1)
    nightly = clusters(con)
    assert nightly["https://antara.id/berita/asli"] != nightly["https://kabar.id/berita/salinan"]
    assert nightly["https://kabar.id/berita/salinan"] == nightly["https://warta.id/berita/ringkas"]
    with transaction(con):
        con.execute("UPDATE articles SET cluster_id = NULL")
        _assign_clusters(con)
    assert clusters(con) == nightly
    con.close()


def test_a_changed_articles_earlier_bands_wait_for_the_weekly_compaction(tmp_path: Path) -> None:
    """The night keeps a rewritten article's earlier bands (no deletes all over article_bands)
    and records it; they only add candidates, which its current signature refutes; the
    weekly compaction leaves exactly the bands of its current signature."""
    from warehouse.db import transaction
    from warehouse.dedup import band_keys, compact_bands

    staging = tmp_path / "staging"
    con = connect_writer(tmp_path / "w.duckdb")
    t1, t2 = "2026-11-20T19:00:30+00:00", "2026-11-21T19:00:30+00:00"
    sources = [stage_outlet(staging, "r1", "antara", [("asli", STORY, "Jakarta siaga")], t1),
               stage_outlet(staging, "r1", "kabar", [("salinan", COPY_EDITED, "DKI siaga")], t1)]
    load_run(con, staging, "r1", sources, workers=1)
    stage_outlet(staging, "r2", "antara", [("asli", SAME_TOPIC[1], "Drainase tertinggal")], t2)
    load_run(con, staging, "r2", sources, workers=1)
    (rewritten,) = con.execute("SELECT id FROM articles WHERE source = 'antara'").fetchone()

    def bands() -> set[tuple[int, int]]:
        return set(con.execute("SELECT band, bkey FROM article_bands WHERE article_id = ?",
                               [rewritten]).fetchall())

    (sig,) = con.execute("SELECT signature FROM article_signatures WHERE article_id = ?",
                         [rewritten]).fetchone()
    current = set(band_keys(np.frombuffer(sig, dtype="<u8")))
    assert current < bands()  # the earlier version's bands are still there …
    assert con.execute("SELECT article_id FROM retired_bands").fetchall() == [(rewritten,)]
    assert con.execute("SELECT count(*) FROM near_duplicates").fetchone() == (0,)  # … harmless
    kept = len(bands())
    with transaction(con):
        deleted = compact_bands(con)
    assert deleted == kept > len(current)  # all its rows went; the current ones came back
    assert bands() == current
    assert con.execute("SELECT count(*) FROM retired_bands").fetchone() == (0,)
    with transaction(con):
        assert compact_bands(con) == 0
    con.close()
