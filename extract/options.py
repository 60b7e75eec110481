"""Per-outlet extraction options: the validated ``extract:`` entry of a sources.yaml outlet."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lxml.etree import XPath, XPathSyntaxError

__all__ = ["SiteOptions"]

# keys accepted in the ``extract:`` mapping of an outlet (timezone/language come from the outlet)
_KEYS: dict[str, str] = {
    "prune_xpaths": "list of XPath expressions; matching elements are removed before extraction",
    "body_xpath": "XPath of the element holding the article body (overrides trafilatura's choice)",
    "title_xpath": "XPath of the element whose text is the title",
    "date_xpath": "XPath of the element whose text (or @datetime/@content) is the publication date",
    "author_xpath": "XPath of the element(s) whose text are author names",
    "drop_lines": "list of regexes; body lines matching one (re.search) are dropped",
    "site_name": "the outlet's display name, used when the page does not say it",
    "title_suffixes": "list of title suffixes to strip, e.g. ' - Kompas.com'",
    "favor": "'precision', 'recall' or 'balanced' (trafilatura's mode; default balanced)",
    "timezone": "IANA timezone of the outlet, e.g. Asia/Makassar (default: the outlet's)",
    "language": "ISO 639-1 code (default: the outlet's)",
}


def _str_list(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"extract.{key} must be a list of strings, got {value!r}")
    return tuple(value)


def _check_xpath(key: str, expr: str) -> None:
    try:
        XPath(expr)
    except XPathSyntaxError as exc:
        raise ValueError(
            f"extract.{key}: invalid XPath {expr!r} ({exc}); fix the expression"
        ) from exc


@dataclass(frozen=True)
class SiteOptions:
    """Everything the extractor may know about one outlet. All fields are optional."""

    timezone: str = "Asia/Jakarta"
    language: str = "id"
    prune_xpaths: tuple[str, ...] = ()
    body_xpath: str | None = None
    title_xpath: str | None = None
    date_xpath: str | None = None
    author_xpath: str | None = None
    drop_lines: tuple[str, ...] = ()
    site_name: str | None = None
    title_suffixes: tuple[str, ...] = ()
    favor: str = "balanced"
    _zone: ZoneInfo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            zone = ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"extract.timezone: unknown timezone {self.timezone!r}; use an IANA name "
                "such as Asia/Jakarta, Asia/Makassar or Asia/Jayapura"
            ) from exc
        object.__setattr__(self, "_zone", zone)
        if not (
            isinstance(self.language, str) and len(self.language) == 2 and self.language.isalpha()
        ):
            raise ValueError(
                f"extract.language: {self.language!r} is not an ISO 639-1 code like 'id'"
            )
        if self.favor not in ("precision", "recall", "balanced"):
            raise ValueError(
                f"extract.favor: {self.favor!r} is not one of 'precision', 'recall', 'balanced'"
            )
        for key in ("prune_xpaths",):
            for expr in getattr(self, key):
                _check_xpath(key, expr)
        for key in ("body_xpath", "title_xpath", "date_xpath", "author_xpath"):
            expr = getattr(self, key)
            if expr is not None:
                _check_xpath(key, expr)
        import re

        for pattern in self.drop_lines:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"extract.drop_lines: invalid regex {pattern!r} ({exc})") from exc

    @property
    def zone(self) -> ZoneInfo:
        """The outlet's timezone as a ZoneInfo."""
        return self._zone

    @classmethod
    def allowed_keys(cls) -> dict[str, str]:
        """The keys accepted by :meth:`from_mapping`, with a one-line description each."""
        return dict(_KEYS)

    @classmethod
    def from_mapping(
        cls,
        data: Mapping[str, Any] | None,
        *,
        timezone: str = "Asia/Jakarta",
        language: str = "id",
    ) -> SiteOptions:
        """Validate the ``extract:`` mapping of an outlet and build the options.

        ``timezone`` and ``language`` are the outlet's own settings; the mapping may override them.
        Unknown keys or bad values raise ValueError saying which key and what is allowed.
        """
        data = dict(data or {})
        if not isinstance(data, dict):
            raise ValueError(f"extract must be a mapping, got {type(data).__name__}")
        unknown = sorted(k for k in data if k not in _KEYS)
        if unknown:
            raise ValueError(
                f"unknown key(s) in extract: {', '.join(map(str, unknown))}; "
                f"allowed keys are: {', '.join(sorted(_KEYS))}"
            )
        kwargs: dict[str, Any] = {"timezone": timezone, "language": language}
        for key, value in data.items():
            if key in ("prune_xpaths", "drop_lines", "title_suffixes"):
                kwargs[key] = _str_list(key, value)
            elif value is not None and not isinstance(value, str):
                raise ValueError(f"extract.{key} must be a string, got {value!r}")
            else:
                kwargs[key] = value
        return cls(**kwargs)

    def replace(self, **changes: Any) -> SiteOptions:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)
