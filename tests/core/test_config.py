"""sources.yaml loading: valid files load, every mistake names file, line and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import load_sources, select_sources
from core.errors import ConfigError

GOOD = """\
sources:
  - name: kompas
    url: https://www.kompas.com/
    feeds: [https://www.kompas.com/rss]
    sitemaps:
      - https://www.kompas.com/sitemap.xml
    article_pattern: '/read/\\d{4}/'
    timezone: Asia/Makassar
    recheck_days: 3
  - name: detik
    url: https://news.detik.com/
    listings: [https://news.detik.com/indeks]
"""


def write(tmp_path: Path, text: str, name: str = "sources.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_file_loads(tmp_path: Path) -> None:
    sources = load_sources(write(tmp_path, GOOD))
    assert [s.name for s in sources] == ["kompas", "detik"]
    kompas = sources[0]
    assert kompas.host == "www.kompas.com"
    assert kompas.feeds == ("https://www.kompas.com/rss",)
    assert kompas.timezone == "Asia/Makassar"
    assert sources[1].language == "id" and sources[1].timezone == "Asia/Jakarta"
    assert kompas.recheck_days == 3 and sources[1].recheck_days == 0  # off unless asked for


def test_round_trip_through_dict(tmp_path: Path) -> None:
    from core.config import Source

    source = load_sources(write(tmp_path, GOOD))[0]
    again = Source.from_dict(source.to_dict())
    assert again.to_dict() == source.to_dict()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sources:\n  - name: a\n    url: https://a.id/\n    feed: [https://a.id/rss]\n",
         ":4: source 'a': unknown key 'feed'"),
        ("sources:\n  - name: Kompas\n    url: https://a.id/\n", ":2: source name 'Kompas'"),
        ("sources:\n  - name: a\n    url: ftp://a.id/\n    feeds: [https://a.id/rss]\n",
         ":3: source 'a': url 'ftp://a.id/' is not an http(s) URL"),
        ("sources:\n  - name: a\n    url: https://a.id/\n",
         "needs at least one of 'feeds', 'sitemaps' or 'listings'"),
        ("sources:\n  - name: a\n    url: https://a.id/\n    feeds:\n      - https://b.id/rss\n",
         ":5: source 'a': feeds entry 'https://b.id/rss' is not on the outlet's host"),
        ("sources:\n  - name: a\n    url: https://a.id/\n    feeds: [https://a.id/r]\n"
         "    article_pattern: '(['\n", ":5: source 'a': article_pattern is not a valid regex"),
        ("sources:\n  - name: a\n    url: https://a.id/\n    feeds: [https://a.id/r]\n"
         "    timezone: Asia/Bandung\n", ":5: source 'a': unknown timezone 'Asia/Bandung'"),
        ("sources:\n  - name: a\n    url: https://a.id/\n    feeds: [https://a.id/r]\n"
         "  - name: a\n    url: https://a.id/\n    feeds: [https://a.id/r]\n",
         "source name 'a' is already used"),
        ("sources:\n  - name: a\n    url: [https://a.id/\n", "invalid YAML"),
        ("outlets: []\n", "expected a mapping with a 'sources:' list"),
        ("sources:\n  - just-a-string\n", ":2: each source must be a mapping"),
        ("sources:\n  - name: a\n    url: https://a.id/\n    feeds: [https://a.id/r]\n"
         "    extract: {no_such_option: 1}\n", ":5: source 'a': extract:"),
        ("sources:\n  - name: a\n    url: https://a.id/\n    feeds: [https://a.id/r]\n"
         "    recheck_days: -1\n", ":5: source 'a': recheck_days must be between 0 (off) and 30"),
        ("sources:\n  - name: a\n    url: https://a.id/\n    feeds: [https://a.id/r]\n"
         "    recheck_days: 31\n", ":5: source 'a': recheck_days must be between 0 (off) and 30"),
        ("sources:\n  - name: a\n    url: https://a.id/\n    feeds: [https://a.id/r]\n"
         "    recheck_days: 2.5\n", ":5: source 'a': recheck_days must be a whole number"),
        ("sources:\n  - name: a\n    url: https://a.id/\n    feeds: [https://a.id/r]\n"
         "    recheck_days: yes\n", ":5: source 'a': recheck_days must be a whole number"),
        ("sources:\n  - name: a\n    url: https://a.id/\n    feeds: [https://a.id/r]\n"
         "    recheck_days: '3'\n", ":5: source 'a': recheck_days must be a whole number"),
        ("sources:\n  - name: a\n    url: https://a.id/\n    feeds: [https://a.id/r]\n"
         "    checked: yesterday\n", ":5: source 'a': checked must be a mapping with 'date'"),
        ("sources:\n  - name: a\n    url: https://a.id/\n    feeds: [https://a.id/r]\n"
         "    checked: {date: '2026-13-01', by: real-page}\n",
         ":5: source 'a': checked: date must"),
        ("sources:\n  - name: a\n    url: https://a.id/\n    feeds: [https://a.id/r]\n"
         "    checked: {date: 2026-13-01, by: real-page}\n", ":5: invalid value '2026-13-01'"),
        ("sources:\n  - name: a\n    url: https://a.id/\n    feeds: [https://a.id/r]\n"
         "    checked: {date: 2026-12-01, by: me}\n",
         ":5: source 'a': checked: by must be one of sources-check, real-page, got 'me'"),
        ("sources:\n  - name: a\n    url: https://a.id/\n    feeds: [https://a.id/r]\n"
         "    checked: {date: 2026-12-01, by: real-page, note: x}\n",
         ":5: source 'a': checked: unknown key 'note'"),
        ("sources:\n  - name: a\n    url: https://www.a.id/\n    feeds: [https://www.a.id/r]\n"
         "    article_pattern: '^https?://www\\.a\\.id/'\n"
         "  - name: b\n    url: https://b.a.id/\n    feeds: [https://b.a.id/r]\n",
         ":6: source 'b' shares the domain 'a.id' with 'a' and has no article_pattern"),
    ],
)
def test_mistakes_name_file_line_and_fix(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_sources(path)
    message = str(err.value)
    assert message.startswith(str(path)), message
    assert expected in message, message


def test_checked_records_date_and_how(tmp_path: Path) -> None:
    text = GOOD.replace("    recheck_days: 3\n",
                        "    recheck_days: 3\n    checked: {date: 2026-12-05, by: sources-check}\n")
    kompas, detik = load_sources(write(tmp_path, text))
    assert kompas.checked is not None and kompas.checked.to_dict() == {
        "date": "2026-12-05", "by": "sources-check"}
    assert detik.checked is None  # never verified
    from core.config import Source

    assert Source.from_dict(kompas.to_dict()) == kompas.__class__(**{
        **kompas.__dict__, "origin": ""})


def test_claims_is_on_site_and_pattern(tmp_path: Path) -> None:
    kompas, detik = load_sources(write(tmp_path, GOOD))
    assert kompas.claims("https://nasional.kompas.com/read/2024/01/15/1/x")
    assert not kompas.claims("https://nasional.kompas.com/tag/x")
    assert not kompas.claims("https://kompas.com.evil.example/read/2024/01/15/1/x")
    assert detik.claims("https://news.detik.com/anything")  # no pattern: anything on the site


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="sources file not found"):
        load_sources(tmp_path / "nope.yaml")


def test_folder_of_files_loads_all(tmp_path: Path) -> None:
    write(tmp_path, "sources:\n  - name: b\n    url: https://b.id/\n    feeds: [https://b.id/r]\n",
          "2-b.yaml")
    write(tmp_path, "sources:\n  - name: a\n    url: https://a.id/\n    feeds: [https://a.id/r]\n",
          "1-a.yml")
    assert [s.name for s in load_sources(tmp_path)] == ["a", "b"]


def test_select_unknown_source_lists_known(tmp_path: Path) -> None:
    sources = load_sources(write(tmp_path, GOOD))
    assert [s.name for s in select_sources(sources, ["detik"])] == ["detik"]
    with pytest.raises(ConfigError, match=r"unknown source 'tempo' \(configured: detik, kompas\)"):
        select_sources(sources, ["tempo"])
