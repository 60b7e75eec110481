"""The Atom feed (RFC 4287) of an alert rule: its latest matches, newest first.

Entries are the rule's alert rows (what ``pantau alerts`` matched and recorded), one per
article; the entry id is the article's stable id, so a feed reader shows each match once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from alerts.rules import Rule
from pantau.web.views import RuleMatch

ATOM = "http://www.w3.org/2005/Atom"


def _iso(moment: datetime | None) -> str:
    moment = moment or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _plain(snippet: str | None) -> str:
    return (snippet or "").replace("**", "")


def rule_feed(rule: Rule, matches: Sequence[RuleMatch], base_url: str) -> bytes:
    """The feed document for ``rule`` (``base_url``: where the app is served, no trailing /)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    self_url = f"{base_url}/feeds/{rule.name}.atom"
    sub(feed, "id", f"urn:pantau:rule:{rule.name}")
    sub(feed, "title", f"pantau: {rule.name}")
    sub(feed, "subtitle", f"articles matching {rule.query}")
    sub(feed, "updated", _iso(max((m.matched_at for m in matches), default=None)))
    sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    sub(feed, "link", rel="alternate", type="text/html", href=f"{base_url}/alerts#{rule.name}")
    author = sub(feed, "author")
    sub(author, "name", "pantau")
    sub(feed, "generator", "pantau serve")
    for match in matches:
        entry = sub(feed, "entry")
        sub(entry, "id", f"urn:pantau:article:{match.article_id}")
        sub(entry, "title", match.title or match.url or match.article_id)
        sub(entry, "updated", _iso(match.matched_at))
        if match.published is not None:
            sub(entry, "published", _iso(match.published))
        if match.url:
            sub(entry, "link", rel="alternate", type="text/html", href=match.url)
        sub(entry, "link", rel="related", type="text/html",
            href=f"{base_url}/article/{match.article_id}")
        if match.source:
            sub(entry, "category", term=match.source)
        sub(entry, "summary", _plain(match.snippet), type="text")
    return (b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
            + ET.tostring(feed, encoding="utf-8", xml_declaration=False))
