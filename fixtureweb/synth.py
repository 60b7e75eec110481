"""Scale mode: many synthetic outlets x many articles, generated deterministically from a seed.

The three shipped outlets are the archetypes (WordPress, Blogger, portal), used in rotation: a
synthetic outlet keeps its archetype's templates, URL shapes, chrome and sections, and gets its
own name, slug (``<prefix><region>NN``) and articles written from the word lists in
``content/_synth/words.yaml``. Text is built from a pool of pre-made sentences, so 10,000
articles take well under a second; pages are rendered lazily when requested and cached.

Big outlets get a paginated sitemap (an index of ``/sitemap-N.xml`` files) and a feed of the
newest articles only. About one article in 97 gets a "Ralat" a day after publication and one in
211 is removed two days after (404 or 410), so time travel works in scale mode too.
"""

from __future__ import annotations

import logging
import random
import re
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml

from fixtureweb.content import CONTENT_DIR, load_outlets
from fixtureweb.model import Article, Outlet, Update

log = logging.getLogger(__name__)

WORDS_FILE = CONTENT_DIR / "_synth" / "words.yaml"
DEFAULT_END = datetime.fromisoformat("2026-11-20T23:00:00+07:00")
SITEMAP_PAGE_SIZE = 100
FEED_LIMIT = 50
UPDATE_EVERY = 97
REMOVE_EVERY = 211
_SENTENCE_POOL = 1500
_BODY_POOL = 400
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _words(path: Path = WORDS_FILE) -> dict[str, Any]:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class _Writer:
    """Text from the word lists. Bodies are drawn from a pool made once; each article gets its
    own lead paragraph (subject, verb, topic, place, time and a pool sentence), so no two
    articles share their text while 10,000 of them cost a few hundred thousand cheap picks."""

    def __init__(self, words: dict[str, Any], rng: random.Random) -> None:
        self.w = words
        self.rng = rng
        self.places = [(str(p[0]), str(p[1]), int(p[2])) for p in words["places"]]
        self.sentences = [self._sentence() for _ in range(_SENTENCE_POOL)]
        self.bodies = [self._body() for _ in range(_BODY_POOL)]

    def _sentence(self) -> str:
        pick, w = self.rng.choice, self.w
        return (f"{pick(w['subjects'])} {pick(w['verbs'])} {pick(w['objects'])} di "
                f"{pick(self.places)[0]} {pick(w['times'])} {pick(w['clauses'])}.")

    def _body(self) -> tuple[str, ...]:
        """Paragraphs 2..n of an article (3 to 7 of them, a quote in the second)."""
        rng = self.rng
        paragraphs = []
        for index in range(rng.randint(3, 7)):
            sentences = rng.sample(self.sentences, rng.randint(2, 3))
            if index == 1:
                sentences.append(rng.choice(self.w["quotes"]))
            paragraphs.append(" ".join(sentences))
        return tuple(paragraphs)


def _outlet_names(words: dict[str, Any], count: int, rng: random.Random) -> list[tuple[str, str]]:
    combos = [(p, r) for p in words["outlet_prefixes"] for r in words["outlet_regions"]]
    rng.shuffle(combos)
    names = []
    for index in range(count):
        prefix, region = combos[index % len(combos)]
        name = f"{prefix} {region}"
        names.append((name, f"{_slugify(prefix + region)}{index + 1:02d}"))
    return names


def _path(cms: str, slug: str, moment: datetime, number: int) -> str:
    if cms == "wordpress":
        return f"/{moment.year}/{moment.month:02d}/{moment.day:02d}/{slug}-{number}/"
    if cms == "blogger":
        return f"/{moment.year}/{moment.month:02d}/{slug}-{number}.html"
    return f"/berita/d-{number}/{slug}"


def _articles(outlet: Outlet, index: int, count: int, writer: _Writer, end: datetime,
              days: int, words: dict[str, Any]) -> tuple[Article, ...]:
    w = words
    places, sentences, bodies = writer.places, writer.sentences, writer.bodies
    subjects, verbs, times = w["subjects"], w["verbs"], w["times"]
    heads, actions, topics, authors = (w["subjects_title"], w["verbs_title"], w["objects"],
                                       w["authors"])
    zones = {h: timezone(timedelta(hours=h)) for h in (7, 8, 9)}
    sections = [s.name for s in outlet.sections]
    span = days * 24 * 60
    start = end - timedelta(minutes=span)
    letters = "abcdefghijklmnoprstuwy"
    slugs: dict[str, str] = {}
    getrandbits = writer.rng.getrandbits
    articles = []
    for k in range(count):
        r = getrandbits(160)  # every pick of this article comes out of one draw
        r, place_i = divmod(r, len(places))
        r, topic_i = divmod(r, len(topics))
        r, head_i = divmod(r, len(heads))
        r, action_i = divmod(r, len(actions))
        r, subject_i = divmod(r, len(subjects))
        r, verb_i = divmod(r, len(verbs))
        r, time_i = divmod(r, len(times))
        r, sentence_i = divmod(r, len(sentences))
        r, body_i = divmod(r, len(bodies))
        r, author_i = divmod(r, len(authors))
        r, jitter = divmod(r, 30)
        place, dateline, offset = places[place_i]
        topic = topics[topic_i]
        published = (start + timedelta(minutes=span * (k + 1) // (count + 1) + jitter)
                     ).astimezone(zones[offset])
        title = f"{heads[head_i]} {actions[action_i]} {topic.title()} di {place}"
        slug = slugs.get(title) or slugs.setdefault(title, _slugify(title))
        lead = (f"{subjects[subject_i]} {verbs[verb_i]} {topic} di {place} {times[time_i]}. "
                f"{sentences[sentence_i]}")
        initials = None
        if outlet.cms != "wordpress":
            code = "".join(letters[(r >> (5 * i)) % len(letters)] for i in range(5))
            initials = f"({code[:3]}/{code[3:]})"
        updates: tuple[Update, ...] = ()
        if k % UPDATE_EVERY == UPDATE_EVERY - 1:
            updates = (Update(at=published + timedelta(days=1), append=(w["ralat"],)),)
        removed = published + timedelta(days=2) if k % REMOVE_EVERY == REMOVE_EVERY - 1 else None
        articles.append(Article(
            outlet=outlet.slug,
            path=_path(outlet.cms, slug, published, 7_000_000 + index * 100_000 + k),
            title=title,
            paragraphs=(lead, *bodies[body_i]),
            authors=(authors[author_i],),
            published_at=published,
            section=sections[k % len(sections)],
            dateline=dateline,
            initials=initials,
            tags=(topic, place),
            metadata="jsonld" if outlet.cms == "portal" or k % 2 else "opengraph",
            updates=updates,
            removed_at=removed,
            removed_status=410 if k % 2 else 404,
        ))
    articles.sort(key=lambda a: a.published_at, reverse=True)  # as load_outlet() orders them
    return tuple(articles)


def synthetic_outlets(n_outlets: int, n_articles: int, seed: int = 0,
                      end: datetime = DEFAULT_END, days: int = 10) -> dict[str, Outlet]:
    """``n_outlets`` outlets of ``n_articles`` articles each, published over ``days`` days
    before ``end``; the same arguments always give the same outlets."""
    if n_outlets < 1 or n_articles < 1:
        raise ValueError("scale needs at least one outlet and one article per outlet, "
                         "e.g. scale=(50, 200)")
    if n_articles >= 100_000:
        raise ValueError("scale: at most 99,999 articles per outlet")
    if end.tzinfo is None:
        raise ValueError("end needs a timezone")
    words = _words()
    rng = random.Random(seed)
    writer = _Writer(words, rng)
    archetypes = list(load_outlets().values())
    archetypes.sort(key=lambda o: ("wordpress", "blogger", "portal").index(o.cms))
    outlets: dict[str, Outlet] = {}
    for index, (name, slug) in enumerate(_outlet_names(words, n_outlets, rng)):
        base = archetypes[index % len(archetypes)]
        site_name = name.upper().replace(" ", "") + ".COM"
        outlet = replace(
            base, slug=slug, name=name, site_name=site_name,
            dateline_format=base.dateline_format.replace(base.site_name, site_name),
            tagline=rng.choice(words["taglines"]), articles=(),
            sitemap_page_size=SITEMAP_PAGE_SIZE if n_articles > SITEMAP_PAGE_SIZE else 0,
            feed_limit=FEED_LIMIT, article_pages="none", single_page_query=None,
        )
        articles = _articles(outlet, index, n_articles, writer, end, days, words)
        outlets[slug] = replace(outlet, articles=articles)
    log.debug("generated %d synthetic outlets x %d articles (seed %d)", n_outlets, n_articles,
              seed)
    return outlets
