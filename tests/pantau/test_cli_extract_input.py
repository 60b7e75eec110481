"""`pantau extract` on pages it cannot read: a clear error or warning, never a silent empty record
(issue: nothing lost when things break, item 11)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from tests.pantau.test_cli import assert_one_line_error, pantau

PARAS = "".join(
    f"<p>Paragraf ke-{i}: pengunjung kafe menikmati kopi dan kue setiap pagi di kawasan "
    "Jakarta Selatan sambil membaca berita.</p>"
    for i in range(5)
)


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_bytes(b"")
    assert_one_line_error(pantau("extract", str(page), "--json"), "empty.html: the file is empty")


def test_binary_file_is_an_error_without_library_noise(tmp_path: Path) -> None:
    pdf = tmp_path / "doc.html"
    pdf.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 50)
    result = pantau("extract", str(pdf), "--json")
    assert_one_line_error(result, "doc.html: not an HTML page: a PDF document")
    assert "ERROR" not in result.stderr
    blob = tmp_path / "blob.html"
    blob.write_bytes(b"\x00\x01\x02\x03" * 1000)
    assert_one_line_error(pantau("extract", str(blob)), "not an HTML page: binary data")


def test_one_size_cap_for_crawl_and_extract(tmp_path: Path) -> None:
    page = tmp_path / "big.html"
    page.write_text(f"<html><body><article>{PARAS * 50}</article></body></html>")
    env = {"PANTAU_MAX_PAGE_BYTES": "20000"}
    assert_one_line_error(
        pantau("extract", str(page), env=env), "big.html: the page is", "PANTAU_MAX_PAGE_BYTES"
    )
    # a gzip file that unpacks past the cap is stopped at the cap, not unpacked whole
    packed = tmp_path / "bomb.html.gz"
    packed.write_bytes(gzip.compress(b"<html><body>" + b" " * 5_000_000 + b"</body></html>"))
    assert_one_line_error(pantau("extract", str(packed), env=env), "bomb.html.gz: unpacked")
    assert pantau("extract", str(page), "--json").returncode == 0  # within the default cap


def test_too_deep_nesting_says_why_the_body_is_missing(tmp_path: Path) -> None:
    page = tmp_path / "deep.html"
    body = "<div>" * 100_000 + PARAS + "</div>" * 100_000
    page.write_text(f"<html><body><h1>Judul berita yang panjang</h1>{body}</body></html>")
    result = pantau("extract", str(page), "--json")
    assert result.returncode == 0
    assert "nests elements more than 256 levels deep" in result.stderr
    assert json.loads(result.stdout)["page_kind"] == "other"


def test_windows_1252_without_or_with_a_wrong_label(tmp_path: Path) -> None:
    html = (
        "<html><body><article><h1>Café baru di Jakarta</h1>"
        + "<p>Pengunjung kafe “baru” itu menikmati café au lait dan crème brûlée setiap pagi "
        "di Jakarta Selatan.</p>" * 5
        + "</article></body></html>"
    )
    for head in ("", '<head><meta charset="utf-8"></head>'):
        page = tmp_path / "legacy.html"
        page.write_bytes(html.replace("<html>", "<html>" + head).encode("cp1252"))
        text = json.loads(pantau("extract", str(page), "--json").stdout)["text"]
        assert "“baru”" in text and "crème brûlée" in text and "\ufffd" not in text


def test_a_title_and_name_before_a_dash_is_no_dateline(tmp_path: Path) -> None:
    page = tmp_path / "quote.html"
    first = "Menurut Ir. José Müller — pembangunan jalan itu akan selesai tahun depan."
    page.write_text(
        f"<html><body><article><h1>Jalan baru</h1><p>{first}</p>{PARAS}</article></body></html>",
        encoding="utf-8",
    )
    data = json.loads(pantau("extract", str(page), "--json").stdout)
    assert data["text"].startswith(first) and data["dateline"] is None
