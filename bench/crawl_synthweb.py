"""A synthetic web for crawl benchmarks: N outlets × M articles, one port per outlet on 127.0.0.1.

Not a test fixture (the fixture web imitates real outlets closely); this one is only big and
cheap to serve. Each outlet has ``/robots.txt``, ``/feed/`` (RSS of the newest 50 articles),
``/sitemap.xml`` (urlset of all) and articles ``/berita/YYYY/MM/DD/<slug>-<n>/`` of ~15 KB with
navigation, sidebars and footers around 8-12 paragraphs. Feeds and sitemaps carry ``ETag`` and
``Last-Modified`` and answer conditional GETs with 304. :meth:`SynthWeb.publish` adds articles
("the next night"). Outlets are on separate ports of 127.0.0.1, so both pantau and the baseline
(urllib3 through trafilatura) reach them without special name resolution.
"""

from __future__ import annotations

import hashlib
import random
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

# original sentences (written for this benchmark) the article bodies are drawn from
SENTENCES = [
    "Pemerintah kota menambah dua puluh armada bus listrik untuk melayani rute pinggiran.",
    "Warga di bantaran sungai diminta waspada karena curah hujan diperkirakan meningkat.",
    "Dinas pendidikan membuka pendaftaran beasiswa bagi siswa berprestasi dari keluarga miskin.",
    "Harga cabai rawit di pasar tradisional turun setelah panen raya di sejumlah daerah.",
    "Petugas gabungan menertibkan pedagang yang berjualan di atas trotoar pada Senin pagi.",
    "Rumah sakit daerah menambah ruang perawatan intensif untuk menampung pasien rujukan.",
    "Kepala desa menjelaskan bahwa dana desa tahun ini difokuskan pada perbaikan irigasi.",
    "Para nelayan belum melaut selama tiga hari karena gelombang tinggi di perairan selatan.",
    "Kegiatan bersih pantai diikuti ratusan pelajar, relawan, dan aparat kecamatan setempat.",
    "Pengelola bandara memastikan jadwal penerbangan kembali normal setelah cuaca membaik.",
    "Koperasi petani kopi mulai mengekspor biji kopi ke tiga negara di kawasan Asia Timur.",
    "Polisi masih menyelidiki penyebab kebakaran yang menghanguskan tujuh kios di pasar lama.",
    "Festival budaya tahunan menampilkan tarian tradisional dari dua belas kabupaten.",
    "Anggota dewan meminta pemerintah daerah mempercepat perbaikan jalan provinsi yang rusak.",
    "Badan meteorologi mengimbau masyarakat menghindari aktivitas di lereng yang rawan longsor.",
    "Sekolah kejuruan bekerja sama dengan industri lokal untuk program magang bagi siswa.",
    "Perusahaan air minum daerah menjadwalkan pemeliharaan pipa sehingga aliran akan terhenti.",
    "Tim sepak bola daerah berhasil lolos ke babak berikutnya setelah menang dua gol tanpa balas.",
    "Pameran usaha kecil menghadirkan produk kerajinan tangan dari kelompok ibu rumah tangga.",
    "Pihak kampus meluncurkan layanan konseling daring bagi mahasiswa tingkat akhir.",
]
CHROME_LINKS = ["Nasional", "Daerah", "Ekonomi", "Olahraga", "Teknologi", "Hiburan", "Indeks"]
START = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Article:
    number: int
    path: str
    title: str
    published_at: datetime
    paragraphs: tuple[str, ...]


def make_article(outlet: int, number: int) -> Article:
    rng = random.Random(outlet * 1_000_003 + number)
    when = START + timedelta(minutes=37 * number + 11 * outlet)
    words = rng.sample(SENTENCES, 3)[0].split()[:6]
    slug = "-".join(w.strip(".,").lower() for w in words) + f"-{number}"
    paragraphs = tuple(
        " ".join(rng.sample(SENTENCES, 3)) for _ in range(rng.randint(8, 12))
    )
    title = " ".join(words).rstrip(".,") + f" ({number})"
    return Article(number, f"/berita/{when:%Y/%m/%d}/{slug}/", title, when, paragraphs)


class Outlet:
    """One synthetic outlet and its articles (newest last)."""

    def __init__(self, index: int, articles: int) -> None:
        self.index = index
        self.name = f"synth{index:03d}"
        self.articles = [make_article(index, n) for n in range(articles)]
        self.by_path = {a.path: a for a in self.articles}
        self.lock = threading.Lock()

    def publish(self, count: int) -> list[Article]:
        with self.lock:
            first = len(self.articles)
            new = [make_article(self.index, n) for n in range(first, first + count)]
            self.articles.extend(new)
            self.by_path.update({a.path: a for a in new})
        return new

    def page(self, base: str, article: Article) -> str:
        nav = "".join(f'<li><a href="{base}/kanal/{x.lower()}/">{x}</a></li>' for x in CHROME_LINKS)
        related = "".join(
            f'<li><a href="{base}{a.path}">{escape(a.title)}</a></li>'
            for a in self.articles[max(0, article.number - 6): article.number]
        )
        body = "".join(f"<p>{escape(p)}</p>" for p in article.paragraphs)
        return (
            f"<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(article.title)} - {self.name}</title>"
            f'<meta property="og:title" content="{escape(article.title)}">'
            f'<meta property="article:published_time" content="{article.published_at.isoformat()}">'
            f"</head><body><header><nav><ul>{nav}</ul></nav></header>"
            f"<main><article><h1>{escape(article.title)}</h1>"
            f'<div class="byline">Oleh Redaksi {self.name} - '
            f"{article.published_at:%d/%m/%Y %H:%M} WIB</div>"
            f'<div class="content">{body}</div>'
            f'<div class="tags">Tag: <a href="{base}/tag/kota/">kota</a></div></article>'
            f'<aside><h3>Berita Terkait</h3><ul>{related}</ul>'
            f"<p>Ikuti kami di media sosial untuk kabar terbaru setiap hari.</p></aside></main>"
            f"<footer><p>Hak cipta {self.name}. Dilarang mengutip tanpa izin.</p>"
            f"<ul>{nav}</ul></footer></body></html>"
        )

    def feed(self, base: str) -> str:
        items = "".join(
            f"<item><title>{escape(a.title)}</title><link>{base}{a.path}</link>"
            f"<pubDate>{format_datetime(a.published_at, usegmt=True)}</pubDate></item>"
            for a in reversed(self.articles[-50:])
        )
        return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                f"<title>{self.name}</title><link>{base}/</link>{items}</channel></rss>")

    def sitemap(self, base: str) -> str:
        urls = "".join(
            f"<url><loc>{base}{a.path}</loc><lastmod>{a.published_at.isoformat()}</lastmod></url>"
            for a in reversed(self.articles)
        )
        return ('<?xml version="1.0" encoding="UTF-8"?>'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')


def _handler(outlet: Outlet, log: list[tuple[str, str]], log_lock: threading.Lock) -> type:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802
            with log_lock:
                log.append((outlet.name, self.path))
            base = f"http://{self.headers.get('Host')}"
            path = self.path.split("?", 1)[0]
            conditional = False
            if path == "/robots.txt":
                status, ctype, text = 200, "text/plain", "User-agent: *\nDisallow: /cari/\n"
            elif path == "/feed/":
                status, ctype, text = 200, "application/rss+xml", outlet.feed(base)
                conditional = True
            elif path == "/sitemap.xml":
                status, ctype, text = 200, "application/xml", outlet.sitemap(base)
                conditional = True
            elif (article := outlet.by_path.get(path)) is not None:
                status, ctype, text = 200, "text/html; charset=utf-8", outlet.page(base, article)
            else:
                status, ctype, text = 404, "text/plain", "tidak ditemukan"
            body = text.encode("utf-8")
            headers = {"Content-Type": ctype}
            if conditional:
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                headers["ETag"] = etag
                headers["Last-Modified"] = format_datetime(
                    outlet.articles[-1].published_at, usegmt=True
                )
                if self.headers.get("If-None-Match") == etag:
                    status, body = 304, b""
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


class SynthWeb:
    """``with SynthWeb(outlets=50, articles=200) as web: web.base_url(i) ...``"""

    def __init__(self, outlets: int, articles: int) -> None:
        self.outlets = [Outlet(i, articles) for i in range(outlets)]
        self.requests_log: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._servers: list[ThreadingHTTPServer] = []

    def __enter__(self) -> SynthWeb:
        for outlet in self.outlets:
            server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(outlet, self.requests_log,
                                                                    self._lock))
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, daemon=True).start()
            self._servers.append(server)
        return self

    def __exit__(self, *exc: object) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()

    def base_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self._servers[index].server_address[1]}"

    def article_urls(self) -> list[str]:
        return [self.base_url(o.index) + a.path for o in self.outlets for a in o.articles]

    def publish(self, per_outlet: int) -> int:
        return sum(len(o.publish(per_outlet)) for o in self.outlets)
