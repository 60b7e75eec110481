"""Charts as inline SVG, drawn on the server: no JavaScript, nothing from a CDN.

Every mark carries its numbers as ``data-*`` attributes (``data-day``, ``data-outlet``,
``data-count``), so tests and scrapers read the chart's figures without parsing shapes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from markupsafe import Markup, escape

# A colour-blind-safe qualitative palette (Okabe & Ito), then greys.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000", "#777777", "#AAAAAA")


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _nice_max(value: int) -> int:
    """A round axis maximum at or above ``value``."""
    if value <= 5:
        return max(1, value)
    step = 10 ** (len(str(value)) - 1)
    for factor in (1, 2, 5, 10):
        if value <= factor * step:
            return factor * step
    return value


def stacked_bars(days: Sequence[date], outlets: Sequence[str],
                 counts: Mapping[tuple[date, str], int], *, width: int = 760,
                 height: int = 240, label: str = "articles per day") -> Markup:
    """Articles per day, one bar per day stacked by outlet (outlets in ``outlets`` order)."""
    left, bottom, top, right = 40, 22, 8, 8
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(counts.get((d, o), 0) for o in outlets) for d in days]
    peak = _nice_max(max(totals, default=0))
    slot = plot_w / max(1, len(days))
    bar_w = max(1.0, slot * 0.8)
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" data-days="{len(days)}" data-total="{sum(totals)}">',
        f"<title>{escape(label)}</title>",
    ]
    for tick in (0, peak // 2, peak):
        y = top + plot_h - plot_h * tick / peak
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
                     'class="grid"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" class="tick" '
                     f'text-anchor="end">{tick}</text>')
    for i, day in enumerate(days):
        x = left + i * slot + (slot - bar_w) / 2
        y = top + plot_h
        parts.append(f'<g class="day" data-day="{day.isoformat()}" data-count="{totals[i]}">')
        for j, outlet in enumerate(outlets):
            n = counts.get((day, outlet), 0)
            if not n:
                continue
            h = plot_h * n / peak
            y -= h
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
                f'height="{h:.1f}" fill="{colour(j)}" data-day="{day.isoformat()}" '
                f'data-outlet="{escape(outlet)}" data-count="{n}">'
                f"<title>{day.isoformat()} {escape(outlet)}: {n}</title></rect>")
        parts.append("</g>")
    if days:
        for i in sorted({0, len(days) // 2, len(days) - 1}):
            x = left + i * slot + slot / 2
            parts.append(f'<text x="{x:.1f}" y="{height - 6}" class="tick" '
                         f'text-anchor="middle">{days[i].isoformat()}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def sparkline(values: Sequence[int], *, width: int = 120, height: int = 24,
              label: str = "new articles per night") -> Markup:
    """A small line of ``values`` (oldest first), the last point marked."""
    parts = [f'<svg class="spark" xmlns="http://www.w3.org/2000/svg" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(label)}" data-values="{",".join(map(str, values))}">'
             f"<title>{escape(label)}: {', '.join(map(str, values)) or 'none'}</title>"]
    if values:
        peak = max(max(values), 1)
        step = (width - 4) / max(1, len(values) - 1)
        points = [(2 + i * step, height - 2 - (height - 4) * v / peak)
                  for i, v in enumerate(values)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#0072B2" '
                     'stroke-width="1.5"/>')
        x, y = points[-1]
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2" fill="#D55E00"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
