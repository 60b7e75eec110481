"""Volume spikes: when a day's count of articles matching a query is far above its baseline.

The method (one rule's daily series, days in Asia/Jakarta):

- the **baseline** of day D is the median count of the ``baseline_days`` days before it
  (D - baseline_days … D - 1), days without a matching article counting as 0, but only days
  since the warehouse's first article (a warehouse started last week has no zero history).
  The median, not the mean: last week's spike does not raise the bar for the next one;
- D is **high** when its count is at least ``min_count`` and at least ``ratio`` times the
  baseline (a baseline under 1 article a day counts as 1);
- a **spike starts** on D when D is high and D - 1 is not. An alert fires on the start only,
  so a story that stays big for a week alerts once; a day back to normal ends the spike and a
  later high day starts a new one;
- with fewer than ``min_history`` days of baseline, nothing is judged (no alert).

Defaults: ``baseline_days: 14``, ``ratio: 3``, ``min_count: 5``, ``min_history: 7``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from statistics import median

from core.errors import ConfigError
from core.yamlfile import Located

SPIKE_KEYS = ("spike", "baseline_days", "ratio", "min_count")


@dataclass(frozen=True)
class SpikeMethod:
    baseline_days: int = 14
    ratio: float = 3.0
    min_count: int = 5
    min_history: int = 7

    def baseline(self, counts: Mapping[date, int], day: date, first: date) -> float | None:
        """The median count of the baseline days before ``day`` (None: too little history)."""
        start = max(day - timedelta(days=self.baseline_days), first)
        days = (day - start).days
        if days < min(self.min_history, self.baseline_days):
            return None
        return float(median(counts.get(start + timedelta(days=i), 0) for i in range(days)))

    def high(self, counts: Mapping[date, int], day: date, first: date) -> bool:
        base = self.baseline(counts, day, first)
        n = counts.get(day, 0)
        return base is not None and n >= self.min_count and n >= self.ratio * max(base, 1.0)

    def starts(self, counts: Mapping[date, int], day: date, first: date) -> bool:
        """Whether a spike starts on ``day`` (high, and the day before was not)."""
        return self.high(counts, day, first) and not self.high(
            counts, day - timedelta(days=1), first)

    def describe(self, counts: Mapping[date, int], day: date, first: date) -> str:
        base = self.baseline(counts, day, first) or 0.0
        n = counts.get(day, 0)
        return (f"{n} articles on {day.isoformat()}, {n / max(base, 1.0):.1f}x the "
                f"{self.baseline_days}-day baseline of {base:.1f} a day")


def parse_spike_options(raw: Mapping[str, Located], path: Path, label: str) -> SpikeMethod:
    """The spike options of a rule entry (``baseline_days``, ``ratio``, ``min_count``), checked."""
    values: dict[str, float] = {}
    for key, kind, low in (("baseline_days", int, 2), ("ratio", float, 1.0),
                           ("min_count", int, 1)):
        loc = raw.get(key)
        if loc is None:
            continue
        value = loc.value
        ok = isinstance(value, int | float) and not isinstance(value, bool) and value >= low
        if kind is int:
            ok = ok and isinstance(value, int)
        if not ok:
            raise ConfigError(f"{path}:{loc.line}: {label}: {key} must be a "
                              f"{'whole ' if kind is int else ''}number of at least {low}")
        values[key] = value
    method = SpikeMethod(
        baseline_days=int(values.get("baseline_days", 14)),
        ratio=float(values.get("ratio", 3.0)),
        min_count=int(values.get("min_count", 5)),
    )
    return method
