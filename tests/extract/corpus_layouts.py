# ruff: noqa: E501  (HTML templates: one markup line per element keeps them readable)
"""Outlet layouts imitating the markup of CMSs and portals common in Indonesia.

Each layout turns a Story into (html, expected contract record, meta). Layout markup is written
for pantau's tests (no real page copied). The body is built from blocks that say whether they
belong in ``text``, so the expectation follows from the same data as the page.
"""

from __future__ import annotations

import html as _html
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from corpus_articles import Story

from extract.urls import canonicalize_url

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")  # fmt: skip
MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov",
                "Des")  # fmt: skip
ZONES = {7: "WIB", 8: "WITA", 9: "WIT"}
FETCHED_AT = datetime(2026, 12, 12, 9, 30, tzinfo=timezone(timedelta(hours=7)))


def esc(text: str) -> str:
    return _html.escape(text, quote=True)


def local(value: str, hours: int) -> datetime:
    return datetime.strptime(value, "%Y-%m-%d %H:%M").replace(
        tzinfo=timezone(timedelta(hours=hours))
    )


def iso(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def long_date(value: datetime, clock: bool = True, short: bool = False, sep: str = " ") -> str:
    month = (MONTHS_SHORT if short else MONTHS)[value.month - 1]
    text = f"{DAYS[value.weekday()]}, {value.day:02d} {month} {value.year}"
    if clock:
        zone = ZONES[int(value.utcoffset().total_seconds() // 3600)]  # type: ignore[union-attr]
        text += f"{sep}{value:%H:%M} {zone}"
    return text


@dataclass
class Page:
    """What a layout returns."""

    html: str
    expected: dict[str, Any]
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Body:
    """Body blocks in page order: (html, text that belongs in `text` or None)."""

    blocks: list[tuple[str, str | None]] = field(default_factory=list)
    boilerplate: list[str] = field(default_factory=list)

    def add(self, markup: str, text: str | None = None) -> None:
        self.blocks.append((markup, text))

    def junk(self, markup: str, *strings: str) -> None:
        self.blocks.append((markup, None))
        self.boilerplate.extend(s for s in strings if s)

    @property
    def html(self) -> str:
        return "\n".join(markup for markup, _ in self.blocks)

    @property
    def text(self) -> str:
        return "\n\n".join(text for _, text in self.blocks if text)


def story_body(
    story: Story,
    dateline: str,
    *,
    dateline_html: str | None = None,
    read_also: Callable[[str], str] | None = None,
    read_also_after: tuple[int, ...] = (1,),
    initials: bool = True,
    extras: bool = True,
    between: dict[int, tuple[str, tuple[str, ...]]] | None = None,
    bold_dateline: bool = False,
) -> Body:
    """The story's paragraphs with the dateline on the first one and the usual insertions."""
    body = Body()
    paragraphs = list(story.paragraphs)
    for index, paragraph in enumerate(paragraphs):
        last = index == len(paragraphs) - 1
        shown = esc(paragraph)
        if index == 0:
            lead = dateline_html if dateline_html is not None else esc(dateline)
            if bold_dateline:
                lead = f"<strong>{lead}</strong>"
            shown = lead + shown
            body.boilerplate.append(dateline.strip())
        if last and initials:
            shown += " " + esc(story.initials)
            body.boilerplate.append(story.initials)
        body.add(f"<p>{shown}</p>", paragraph)
        if read_also and index in read_also_after:
            title = story.read_also[read_also_after.index(index) % 2]
            body.junk(read_also(title), title)
        if between and index in between:
            markup, strings = between[index]
            body.junk(markup, *strings)
        if extras and index == 1:
            if story.bullets:
                items = "".join(f"<li>{esc(b)}</li>" for b in story.bullets)
                body.add(f"<ul>{items}</ul>", "\n".join(story.bullets))
            if story.table:
                rows = "".join(
                    "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>"
                    for row in story.table
                )
                body.add(
                    f"<table><tbody>{rows}</tbody></table>",
                    "\n".join(" | ".join(row) for row in story.table),
                )
            if story.quote:
                body.add(f"<blockquote><p>{esc(story.quote)}</p></blockquote>", story.quote)
            if story.tweet:
                body.add(
                    '<blockquote class="twitter-tweet"><p lang="in" dir="ltr">'
                    f"{esc(story.tweet)}</p>&mdash; Garuda Muda (@garudamuda_id) "
                    '<a href="https://twitter.com/garudamuda_id/status/1">5 Desember 2026</a>'
                    '</blockquote><script async src="https://platform.twitter.com/widgets.js">'
                    "</script>",
                    f"{story.tweet} — Garuda Muda (@garudamuda_id) 5 Desember 2026",
                )
    return body


def jsonld(obj: dict[str, Any]) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj, ensure_ascii=False)}</script>'


def news_article(
    story: Story,
    url: str,
    site: str,
    published: datetime,
    updated: datetime | None,
    *,
    authors: bool = True,
    section: bool = True,
    keywords: bool = False,
    utc: bool = False,
) -> dict[str, Any]:
    def stamp(value: datetime) -> str:
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if utc else iso(value)

    obj: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": story.title,
        "datePublished": stamp(published),
        "publisher": {"@type": "Organization", "name": site},
        "description": story.standfirst,
    }
    if updated:
        obj["dateModified"] = stamp(updated)
    if authors:
        obj["author"] = [{"@type": "Person", "name": a} for a in story.authors]
    if section:
        obj["articleSection"] = story.section
    if keywords:
        obj["keywords"] = ", ".join(story.tags)
    return obj


def sidebar(items: list[tuple[str, str]], heading: str = "Terpopuler") -> str:
    """A list of other stories with dates: links and dates that are not this article's."""
    lis = "".join(
        f'<li><a href="{esc(href)}">{esc(title)}</a><span class="date">Rabu, 02/12/2026 '
        f"1{i}:0{i} WIB</span></li>"
        for i, (href, title) in enumerate(items)
    )
    return f'<aside class="sidebar"><h3>{heading}</h3><ul class="list-populer">{lis}</ul></aside>'


OTHER_STORIES = [
    ("/berita/1001/harga-cabai-rawit-tembus-rp90-ribu", "Harga Cabai Rawit Tembus Rp90 Ribu per Kilogram"),
    ("/berita/1002/dpr-setujui-ruu-penyiaran", "DPR dan Pemerintah Sepakati Jadwal Bahas RUU Penyiaran"),
    ("/berita/1003/penipuan-investasi-bodong", "Polisi Ungkap Penipuan Investasi Bodong Rp40 Miliar"),
    ("/berita/1004/tol-trans-sumatera", "Ruas Tol Trans-Sumatera Baru Diresmikan Pekan Ini"),
    ("/berita/1005/pengguna-internet-225-juta", "Survei: Pengguna Internet Indonesia Capai 225 Juta"),
]  # fmt: skip


def record(url: str, story: Story | None, **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "url": url,
        "canonical_url": canonicalize_url(url),  # the one rulebook (extract/urls.py)
        "title": story.title if story else None,
        "text": "",
        "authors": list(story.authors) if story else [],
        "published_at": None,
        "updated_at": None,
        "section": story.section if story else None,
        "tags": list(story.tags) if story else [],
        "language": "id",
        "site_name": None,
        "dateline": story.place if story else None,
    }
    out.update(fields)
    return out
