"""Re-checking recent articles (sources.yaml ``recheck_days``): the targets and their file.

An outlet with ``recheck_days: N`` has its articles of the last N days requested again every
night, with ``If-None-Match`` / ``If-Modified-Since`` from their last good fetch: ``304`` costs
a few hundred bytes and stages nothing; ``200`` stages the page like any refetch (the loader
makes a new version only when the content changed, e.g. a "Ralat" was appended); ``404`` /
``410`` stages an error record, from which the loader marks the article removed.

The crawl step picks the targets from the warehouse and hands them to the crawl subprocess as a
JSON-lines file (one target per line).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

VIA = "recheck"  # discovered_via of a re-checked page


@dataclass(frozen=True)
class RecheckTarget:
    """One article to re-check.

    ``url``: the address pantau keeps it under (canonical form). ``final_url``: where its last
    fetch ended (requested instead of ``url`` when it is the same address, e.g. with the
    trailing slash the server wants). ``etag`` / ``last_modified``: validators of its last good
    fetch. ``removed``: currently marked removed; asked without validators, so that its return
    is not hidden behind a 304.
    """

    url: str
    final_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    removed: bool = False

    def conditional_headers(self) -> dict[str, str]:
        """The request headers of the conditional GET (none when nothing is known)."""
        if self.removed:
            return {}
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RecheckTarget:
        return cls(
            url=str(data["url"]),
            final_url=data.get("final_url") or None,
            etag=data.get("etag") or None,
            last_modified=data.get("last_modified") or None,
            removed=bool(data.get("removed")),
        )


def write_targets(path: Path, targets: Iterable[RecheckTarget]) -> Path:
    """Write targets as JSON lines (what ``python -m spiders.crawl_one --recheck-file`` reads)."""
    lines = (json.dumps(asdict(t), ensure_ascii=False) + "\n" for t in targets)
    Path(path).write_text("".join(lines), "utf-8")
    return Path(path)


def read_targets(path: Path | None) -> list[RecheckTarget]:
    """Read a file written by :func:`write_targets`; no file: no targets."""
    if path is None:
        return []
    return [
        RecheckTarget.from_dict(json.loads(line))
        for line in Path(path).read_text("utf-8").splitlines()
        if line.strip()
    ]
