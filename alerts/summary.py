"""What an alerts run did, per rule: new matches, and alert rows sent, failed and pending."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RuleCounts:
    """Per rule: new matches this run, and alert rows sent / failed this run / still pending."""

    matched: int = 0
    sent: int = 0
    failed: int = 0
    pending: int = 0


@dataclass
class AlertSummary:
    """What :func:`run_alerts` did; ``rules`` maps rule name to its counts."""

    rules: dict[str, RuleCounts] = field(default_factory=dict)
    articles_scanned: int = 0

    @property
    def total(self) -> RuleCounts:
        out = RuleCounts()
        for c in self.rules.values():
            out.matched += c.matched
            out.sent += c.sent
            out.failed += c.failed
            out.pending += c.pending
        return out

    def lines(self) -> list[str]:
        """A small table for the CLI: one line per rule and a total."""
        width = max([len("rule")] + [len(r) for r in self.rules])
        head = f"{'rule':<{width}}  matched  sent  failed  pending"
        rows = [head]
        for name, c in self.rules.items():
            rows.append(f"{name:<{width}}  {c.matched:>7}  {c.sent:>4}  {c.failed:>6}  "
                        f"{c.pending:>7}")
        t = self.total
        rows.append(f"{'total':<{width}}  {t.matched:>7}  {t.sent:>4}  {t.failed:>6}  "
                    f"{t.pending:>7}")
        return rows

    def __str__(self) -> str:
        return "\n".join(self.lines())
