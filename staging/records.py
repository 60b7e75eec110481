"""The records of a staging file, typed: a fetched :class:`PageRecord` or a failed
:class:`ErrorRecord` (the format is described in :mod:`staging.layout`).

Files hold them as JSON lines (dicts); :func:`parse_record` turns one line into its record and
says precisely what is wrong with a line that is not one, and ``to_dict`` gives the line back.
Other record types (``archive`` headers, ``log`` records of week archives) are not pages and
parse to None.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar

from core.errors import PantauError


class BadRecord(PantauError):
    """A staging line that is not a valid page or error record."""


@dataclass(frozen=True, slots=True)
class PageRecord:
    """A fetched page. ``url`` is the canonical requested URL, ``final_url`` where redirects
    ended; ``headers`` have lower-case names. ``more_pages`` (pages 2..N of a split article,
    each ``{final_url, status, headers, encoding, html}``) and ``extracted`` (the crawler's own
    extraction, see :mod:`extract.staged`) are optional; ``run_id`` and ``duplicates`` are set
    in week archives."""

    type: ClassVar[str] = "page"

    source: str
    url: str
    fetched_at: str
    final_url: str | None = None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None
    html: str = ""
    discovered_via: str | None = None
    hints: dict[str, Any] = field(default_factory=dict)
    more_pages: list[dict[str, Any]] | None = None
    extracted: dict[str, Any] | None = None
    run_id: str | None = None
    duplicates: list[dict[str, Any]] | None = None

    def to_dict(self) -> dict[str, Any]:
        return _to_dict(self)


@dataclass(frozen=True, slots=True)
class ErrorRecord:
    """A URL that could not be fetched (or read). ``role`` says what it was for: an article, or
    a feed, sitemap or listing of discovery."""

    type: ClassVar[str] = "error"

    source: str
    url: str
    fetched_at: str
    status: int | None = None
    error: str | None = None
    role: str = "article"
    discovered_via: str | None = None
    run_id: str | None = None

    @property
    def is_discovery(self) -> bool:
        return self.role != "article"

    def to_dict(self) -> dict[str, Any]:
        return _to_dict(self)


StagedRecord = PageRecord | ErrorRecord
_TYPES: dict[str, type[PageRecord] | type[ErrorRecord]] = {"page": PageRecord,
                                                           "error": ErrorRecord}
#: the keys every record of a type must carry (the others have defaults)
REQUIRED_KEYS = {
    "page": ("type", "source", "url", "final_url", "status", "headers", "fetched_at", "encoding",
             "html", "discovered_via", "hints"),
    "error": ("type", "source", "url", "status", "error", "fetched_at"),
}


def _to_dict(record: PageRecord | ErrorRecord) -> dict[str, Any]:
    data = {"type": record.type, **asdict(record)}
    return {k: v for k, v in data.items()
            if v is not None or k in REQUIRED_KEYS[record.type]}


def missing_keys(data: dict[str, Any]) -> list[str]:
    """The keys a page or error record lacks (its ``type`` unknown: ``["type"]``)."""
    kind = data.get("type")
    if kind not in REQUIRED_KEYS:
        return ["type"]
    return [k for k in REQUIRED_KEYS[kind] if k not in data]


def parse_record(data: dict[str, Any], strict: bool = False) -> StagedRecord | None:
    """The typed record of one staging line; None for lines that are no page or error.

    Only ``source``, ``url`` and ``fetched_at`` are needed to load a record; ``strict`` also
    requires every key of the format (:data:`REQUIRED_KEYS`, what the crawler checks before it
    writes). Unknown keys are ignored, so older pantau versions read newer files.
    """
    kind = data.get("type")
    cls = _TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        return None
    needed = REQUIRED_KEYS[cls.type] if strict else ("source", "url", "fetched_at")
    missing = [k for k in needed if k not in data]
    if missing:
        raise BadRecord(f"{kind} record for {data.get('url')!r} lacks {', '.join(missing)}")
    names = {f.name for f in fields(cls)}
    values = {k: v for k, v in data.items() if k in names}
    for key in ("headers", "hints"):  # null in old files: an empty mapping
        if key in names and values.get(key) is None:
            values.pop(key, None)
    return cls(**values)
