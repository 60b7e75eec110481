"""Machine-readable metadata blocks (JSON-LD) in the shapes the imitated CMSs emit."""

from __future__ import annotations

import json
from typing import Any

from fixtureweb.model import Article, Outlet


def _people(article: Article, base: str) -> list[dict[str, Any]]:
    return [{"@type": "Person", "name": name,
             "url": f"{base}author/{name.lower().replace(' ', '-')}/"} for name in article.authors]


def yoast_graph(outlet: Outlet, article: Article, base: str, url: str) -> dict[str, Any]:
    """A Yoast SEO style ``@graph`` (WordPress): WebSite, WebPage, Article and Person nodes."""
    person_ids = [f"{base}#/schema/person/{i}" for i, _ in enumerate(article.authors)]
    graph: list[dict[str, Any]] = [
        {"@type": "Organization", "@id": f"{base}#organization", "name": outlet.name,
         "url": base,
         "logo": {"@type": "ImageObject", "url": f"{base}wp-content/uploads/logo.png"}},
        {"@type": "WebSite", "@id": f"{base}#website", "url": base, "name": outlet.name,
         "description": outlet.tagline, "publisher": {"@id": f"{base}#organization"},
         "inLanguage": "id-ID",
         "potentialAction": [{"@type": "SearchAction",
                              "target": f"{base}?s={{search_term_string}}",
                              "query-input": "required name=search_term_string"}]},
        {"@type": "WebPage", "@id": f"{url}#webpage", "url": url, "name": article.title,
         "isPartOf": {"@id": f"{base}#website"},
         "datePublished": article.published_at.isoformat(),
         "dateModified": article.modified_at.isoformat(), "inLanguage": "id-ID"},
        {"@type": "Article", "@id": f"{url}#article", "isPartOf": {"@id": f"{url}#webpage"},
         "author": [{"@id": pid} for pid in person_ids], "headline": article.title,
         "datePublished": article.published_at.isoformat(),
         "dateModified": article.modified_at.isoformat(),
         "mainEntityOfPage": {"@id": f"{url}#webpage"},
         "publisher": {"@id": f"{base}#organization"},
         "keywords": list(article.tags), "articleSection": [article.section],
         "inLanguage": "id-ID"},
    ]
    for pid, person in zip(person_ids, _people(article, base), strict=True):
        graph.append({**person, "@id": pid})
    return {"@context": "https://schema.org", "@graph": graph}


def news_article(outlet: Outlet, article: Article, base: str, url: str) -> dict[str, Any]:
    """A schema.org NewsArticle as national portals print it."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": article.title,
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.modified_at.isoformat(),
        "author": _people(article, base),
        "publisher": {"@type": "Organization", "name": outlet.name,
                      "logo": {"@type": "ImageObject", "url": f"{base}images/logo.png"}},
        "articleSection": article.section,
        "keywords": ", ".join(article.tags),
        "inLanguage": outlet.language,
    }
    if article.image:
        data["image"] = {"@type": "ImageObject", "url": article.image, "width": 650,
                         "height": 366}
    if article.standfirst:
        data["description"] = article.standfirst
    return data


def blog_posting(outlet: Outlet, article: Article, base: str, url: str) -> dict[str, Any]:
    """A BlogPosting as Blogger themes with structured-data widgets print it."""
    return {
        "@context": "http://schema.org",
        "@type": "BlogPosting",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": article.title,
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.modified_at.isoformat(),
        "author": _people(article, base),
        "publisher": {"@type": "Organization", "name": outlet.name},
        "image": article.image or f"{base}favicon.ico",
    }


_BUILDERS = {"wordpress": yoast_graph, "portal": news_article, "blogger": blog_posting}


def jsonld(outlet: Outlet, article: Article, base: str, url: str) -> str:
    """The JSON-LD text for ``article`` in the outlet's CMS shape (safe inside ``<script>``)."""
    data = _BUILDERS[outlet.cms](outlet, article, base, url)
    return json.dumps(data, ensure_ascii=False, indent=None).replace("</", "<\\/")
