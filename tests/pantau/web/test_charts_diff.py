"""The SVG charts carry their numbers and draw them to scale; the version diff marks what
changed word by word."""

from __future__ import annotations

import re
from datetime import date, timedelta

from pantau.web.charts import sparkline, stacked_bars
from pantau.web.textdiff import changed, word_diff


def test_stacked_bars_scale_and_data_attributes() -> None:
    days = [date(2026, 11, 1) + timedelta(days=i) for i in range(3)]
    counts = {(days[0], "a"): 4, (days[0], "b"): 6, (days[2], "a"): 5}
    svg = str(stacked_bars(days, ["a", "b"], counts, height=240))
    bars = re.findall(r'height="([\d.]+)" fill="[^"]+" data-day="([^"]+)" '
                      r'data-outlet="(\w)" data-count="(\d+)"', svg)
    assert [(d, o, int(n)) for _, d, o, n in bars] == [
        ("2026-11-01", "a", 4), ("2026-11-01", "b", 6), ("2026-11-03", "a", 5)]
    heights = {(d, o): float(h) for h, d, o, _ in bars}
    # the axis tops at 10: 4 articles are 40% of the plot height (240 - 30 px)
    assert abs(heights[("2026-11-01", "a")] - 0.4 * 210) < 0.2
    assert 'data-days="3"' in svg and 'data-total="15"' in svg
    assert '<g class="day" data-day="2026-11-02" data-count="0">' in svg


def test_chart_labels_are_escaped() -> None:
    svg = str(stacked_bars([date(2026, 11, 1)], ['<x">'], {(date(2026, 11, 1), '<x">'): 1}))
    assert '<x">' not in svg and "&lt;x&#34;&gt;" in svg


def test_sparkline_values() -> None:
    assert 'data-values="3,0,7"' in str(sparkline([3, 0, 7]))
    assert "<polyline" not in str(sparkline([]))


def test_word_diff_marks_the_correction() -> None:
    old = "Korban banjir 12 orang."
    new = "Korban banjir 14 orang.\n\nRalat: jumlah korban diperbarui."
    html = str(word_diff(old, new))
    assert '<del class="diff">12</del><ins class="diff">14</ins>' in html
    assert "Ralat:" in "".join(re.findall(r'<ins class="diff">(.*?)</ins>', html, re.S))
    assert changed(old, new) == (5, 1)
    assert str(word_diff("a <b>", "a <b>")) == "a &lt;b&gt;"
