"""Tables fit the width and wrap long cells (never cut them); bold only on a terminal."""

from __future__ import annotations

from pantau.output import emphasis, render

ERROR = ("HTTP 503 Service Unavailable on http://beritaturki.localhost:18765/feed/ after 3 "
         "attempts; the outlet's feed kept failing, check it or its robots.txt before the next run")


def test_tables_fit_the_width_and_wrap_long_cells_without_cutting() -> None:
    out = render(["source", "requests", "crawl error"], [["beritaturki", 12, ERROR]], width=80)
    lines = out.splitlines()
    assert all(len(line) <= 80 for line in lines), out
    assert "…" not in out
    joined = " ".join(" ".join(line.split()) for line in lines[2:-1])
    assert " ".join(ERROR.split()) in joined.replace("beritaturki 12 ", "")
    assert lines[2].startswith("beritaturki") and lines[3].startswith(" ")  # wrapped under


def test_a_short_table_is_as_wide_as_it_needs() -> None:
    assert render(["a", "b"], [["x", 1]], width=200).splitlines()[0] == "a  b"


def test_words_are_not_broken_even_when_too_wide() -> None:
    out = render(["source", "n"], [["beritaturki", 1]], width=8)
    assert "beritaturki" in out


def test_header_rule_and_no_count_when_asked() -> None:
    out = render(["rule", "matched"], [["banjir", 2]], count=False)
    assert out.splitlines()[1] == "------  -------" and "row" not in out


def test_emphasis_is_bold_on_a_terminal_and_plain_elsewhere() -> None:
    assert emphasis("warga **kebanjiran** lagi", tty=False) == "warga kebanjiran lagi"
    assert emphasis("warga **kebanjiran** lagi", tty=True) == "warga \x1b[1mkebanjiran\x1b[0m lagi"
