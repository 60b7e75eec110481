"""Page furniture left in an article's text: the sign that a layout changed under the extractor.

The extractor removes lines such as "Baca juga: …", "ADVERTISEMENT" or "Editor: …"; when they
show up in ``text`` the outlet's page changed in a way the rules do not know yet. Used by
``pantau sources check`` (the ``leaks`` field of a sample) and by the nightly health check
(:mod:`warehouse.extraction_drops`, where DuckDB runs :data:`LEAK_REGEX` itself: keep it within
the regex syntax Python and RE2 share).
"""

from __future__ import annotations

import re

LEAK_REGEX = (
    r"^\W*(?:baca (?:juga|berita lainnya|selengkapnya)|simak (?:juga|video|berita)|"
    r"lihat juga|tonton juga|berita terkait|artikel terkait|advertisement|iklan|"
    r"scroll to (?:continue|resume)|gulir untuk melanjutkan|download aplikasi|"
    r"ikuti (?:kami|berita)|follow us|bagikan artikel|share this|editor\s*:|penulis\s*:|"
    r"copyright|©|hak cipta|artikel ini (?:telah|sudah) tayang)"
)
LEAK_PATTERN = re.compile(LEAK_REGEX, re.IGNORECASE)


def leaked_lines(text: str) -> list[str]:
    """The lines of ``text`` that are page furniture, stripped."""
    return [line.strip() for line in text.splitlines() if LEAK_PATTERN.match(line)]
