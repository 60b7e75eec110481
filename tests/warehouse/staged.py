"""Build staged runs for warehouse tests: realistic article pages written in staging format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.config import Source
from staging import StagingWriter, write_stats

SOURCE = Source(name="contoh", url="https://contoh.id/", feeds=("https://contoh.id/rss",))

PARAS = [
    "Hujan deras yang mengguyur sejak Senin malam membuat sejumlah ruas jalan di Jakarta Timur "
    "tergenang air setinggi lutut orang dewasa, sehingga arus lalu lintas tersendat berjam-jam.",
    "Petugas Badan Penanggulangan Bencana Daerah mengerahkan perahu karet untuk membantu warga "
    "lanjut usia dan anak-anak yang terjebak di rumah mereka di kawasan bantaran kali.",
    "Kepala pelaksana BPBD mengatakan debit air di pintu air Manggarai terus dipantau setiap jam "
    "dan warga diminta mewaspadai kiriman air dari hulu selama musim hujan berlangsung.",
    "Pemerintah kota menyiapkan dapur umum dan tenda pengungsian di halaman kantor kelurahan, "
    "lengkap dengan layanan kesehatan gratis bagi warga yang mengungsi sementara.",
]


def article_html(title: str, paragraphs: list[str], when: str = "2026-11-20T14:05:00+07:00") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!doctype html><html lang="id"><head><meta charset="utf-8">
<title>{title} - Contoh News</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{when}">
<meta name="author" content="Rina Wulandari">
</head><body>
<nav><a href="/">Beranda</a> <a href="/nasional">Nasional</a></nav>
<article><h1>{title}</h1><div class="byline">Rina Wulandari</div>
<div class="entry-content">{body}</div></article>
<footer>Hak cipta Contoh News</footer></body></html>"""


def listing_html() -> str:
    links = "\n".join(
        f'<li><a href="https://contoh.id/berita/{i}">Judul berita nomor {i}</a></li>'
        for i in range(30)
    )
    return f"""<!doctype html><html lang="id"><head><meta charset="utf-8">
<title>Indeks Berita - Contoh News</title></head><body><h1>Indeks</h1><ul>{links}</ul>
</body></html>"""


def page(url: str, html: str, fetched_at: str) -> dict[str, Any]:
    return {
        "type": "page", "source": "contoh", "url": url, "final_url": url, "status": 200,
        "headers": {"content-type": "text/html; charset=utf-8"}, "fetched_at": fetched_at,
        "encoding": "utf-8", "html": html, "discovered_via": "feed", "hints": {},
    }


def stage(staging: Path, run_id: str, records: list[dict[str, Any]]) -> None:
    writer = StagingWriter(staging, run_id, "contoh")
    for r in records:
        writer.write(r)
    writer.close()
    write_stats(staging, run_id, "contoh", {
        "source": "contoh", "run_id": run_id, "started_at": "2026-11-20T19:00:00+00:00",
        "finished_at": "2026-11-20T19:01:00+00:00", "requests": len(records) + 2,
        "bytes": 1000, "pages": len(records), "errors": 0, "status_counts": {"200": 3},
        "crawl_error": None,
    })
