"""Deterministic synthetic Indonesian-like articles for warehouse benchmarks."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

WORDS = (
    "pemerintah provinsi kota kabupaten warga banjir hujan jalan sungai tanggul pompa air "
    "presiden menteri gubernur bupati wali dewan rakyat anggaran belanja pajak harga beras "
    "minyak listrik bahan bakar subsidi ekonomi inflasi pasar saham rupiah dolar bank kredit "
    "sekolah guru murid kesehatan rumah sakit dokter pasien vaksin penyakit demam berdarah "
    "polisi jaksa hakim korupsi sidang putusan penyidik tersangka saksi bukti kasus laporan "
    "pemilu partai calon suara kampanye debat survei pemilih kotak tps panitia pengawas "
    "gempa tsunami gunung letusan abu pengungsi bantuan relawan logistik tenda dapur umum "
    "sepak bola tim pelatih pemain gol stadion liga juara pertandingan penonton klub "
    "teknologi aplikasi internet data digital startup investasi modal pengusaha industri "
    "pelabuhan bandara kereta jalan tol kendaraan macet transportasi penumpang tiket "
    "jakarta bekasi bogor depok tangerang bandung surabaya semarang medan makassar denpasar "
    "jayapura ambon balikpapan pontianak padang palembang yogyakarta malang kupang manado "
    "mengatakan menyebutkan menjelaskan menegaskan meminta berharap menilai memperkirakan "
    "sejak hingga pada dalam untuk dengan yang dan di ke dari akan telah sudah masih belum "
    "tahun bulan pekan hari pagi siang sore malam senin selasa rabu kamis jumat sabtu minggu"
).split()
SOURCES = [f"outlet_{i:02d}" for i in range(50)]


def paragraphs(rng: random.Random, n_words: int) -> list[str]:
    words = rng.choices(WORDS, k=n_words)
    out, i = [], 0
    while i < len(words):
        size = rng.randint(35, 70)
        out.append(" ".join(words[i : i + size]).capitalize() + ".")
        i += size
    return out


def articles(n: int, seed: int = 7, words: int = 300, copy_share: float = 0.05
             ) -> Iterator[dict[str, Any]]:
    """``n`` articles; about ``copy_share`` of them lightly edited copies of an earlier one."""
    rng = random.Random(seed)
    originals: list[list[str]] = []
    for i in range(n):
        if originals and rng.random() < copy_share:
            paras = list(rng.choice(originals))
            paras[0] = "Kabar terbaru hari ini. " + paras[0]
            if len(paras) > 3:
                paras.pop()
        else:
            paras = paragraphs(rng, words)
            if len(originals) < 2000:
                originals.append(paras)
        day = 1 + i % 28
        yield {
            "source": SOURCES[i % len(SOURCES)],
            "url": f"https://{SOURCES[i % len(SOURCES)]}.example/berita/{i}",
            "title": " ".join(rng.choices(WORDS, k=8)).capitalize(),
            "text": "\n\n".join(paras),
            "authors": [rng.choice(["Rina Wulandari", "Andi Pratama", "Siti Rahma"])],
            "published_at": f"2026-11-{day:02d}T{i % 24:02d}:{i % 60:02d}:00+07:00",
            "section": rng.choice(["Nasional", "Ekonomi", "Olahraga", "Daerah"]),
            "tags": rng.sample(WORDS, 3),
        }
