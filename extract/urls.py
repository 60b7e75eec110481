"""Canonical URLs: one spelling per article, so that dedup and the warehouse key agree.

The crawler (``spiders``), the extractor (:mod:`extract.canonical`) and the loader (``warehouse``)
all call :func:`canonicalize_url`, the one rulebook of canonical URLs; an
article reached through a feed, a sitemap, an AMP page, a mobile host or a share link with
tracking parameters gets the same canonical URL. The rules (all generic, no per-site code):

- only ``http``/``https``; scheme and host lower case, trailing dot of the host dropped, IDN hosts
  in punycode, default ports (80/443) dropped, percent-encoding normalised;
- the fragment is dropped;
- tracking parameters are dropped (``utm_*``, ``fbclid``, ``gclid``, … see ``TRACKING_PARAMS``),
  and so are "whole article on one page" switches (``page=all``, ``single=1``, …, see
  ``ONE_PAGE_PARAMS``) and AMP switches (``amp=1``, ``outputType=amp``); the remaining query
  parameters are sorted;
- AMP and mobile variants map to the desktop page: hosts ``amp.``/``m.``/``mobile.`` lose that
  label, path segments ``amp`` are dropped (``/amp/news/1`` and ``/news/1/amp/``), and so is an
  ``.amp`` before the extension or at the end of the last segment (``/news/1.amp.html``);
- repeated slashes in the path collapse; a trailing slash is dropped (except for the root ``/``)
  unless ``keep_trailing_slash`` — use that for the URL to *request* (servers redirect when the
  slash is missing), and the default for the identity used in dedup and the warehouse;
- with ``site_host`` (the outlet's host, from ``Source.host``), a host that equals it up to a
  leading ``www.`` (or a mobile/AMP label) becomes exactly ``site_host``; without it, a mobile/AMP
  host of a registered domain becomes its ``www.`` host (``m.detik.com`` -> ``www.detik.com``).

Multi-page articles keep ``page=2`` etc.: those are different text. ``page=1`` is the article.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url as _normalise_encoding

__all__ = [
    "ONE_PAGE_PARAMS",
    "TRACKING_PARAMS",
    "canonicalize_url",
    "is_on_site",
    "site_domain",
]

#: Query parameters that only say where a click came from; never part of an article's identity.
TRACKING_PARAMS = frozenset(
    {
        # Google / Facebook / Microsoft / other ad click ids
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "igshid",
        "igsh",
        # analytics and mail tools
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mc_cid",
        "mc_eid",
        "mkt_tok",
        "vero_id",
        "oly_anon_id",
        "oly_enc_id",
        "wickedid",
        "s_cid",
        "cmpid",
        "ocid",
        "spm",
        "ref_src",
        "ref_url",
        "fb_action_ids",
        "fb_action_types",
        "fb_ref",
        "fb_source",
        "__twitter_impression",
        # Indonesian portals: where on the home page the link was (detik: tag_from), login method
        "tag_from",
        "lgn_method",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")

#: (parameter, value) pairs that ask for the whole article on one page: same article.
ONE_PAGE_PARAMS = frozenset(
    {
        ("page", "all"),
        ("page", "1"),
        ("single", "1"),
        ("single", "true"),
        ("single", "yes"),
        ("showpage", "all"),
        ("show", "all"),
        ("view", "all"),
        ("view", "single"),
        ("all", "1"),
        ("full", "1"),
    }
)
AMP_PARAMS = frozenset({("amp", ""), ("amp", "1"), ("amp", "true"), ("outputtype", "amp")})
VARIANT_HOST_LABELS = ("amp", "m", "mobile")
DEFAULT_PORTS = {"http": 80, "https": 443}
_SLASHES = re.compile(r"/{2,}")
_AMP_SUFFIX = re.compile(r"\.amp(?=\.html?$|$)", re.IGNORECASE)


def _strip_variant_label(host: str) -> str:
    """``amp.kompas.com`` -> ``kompas.com``; keeps at least two labels."""
    labels = host.split(".")
    while len(labels) > 2 and labels[0] in VARIANT_HOST_LABELS:
        labels = labels[1:]
    return ".".join(labels)


#: Second-level labels under which a domain is registered one level deeper (``tempo.co.id``).
SECOND_LEVEL_LABELS = frozenset({"co", "or", "go", "ac", "web", "my", "sch", "net", "com", "biz"})


def _is_registered_domain(host: str) -> bool:
    """``kompas.com`` or ``tribunnews.co.id``: a domain as registered, without a subdomain."""
    labels = host.split(".")
    return len(labels) == 2 or (len(labels) == 3 and labels[1] in SECOND_LEVEL_LABELS)


def _bare(host: str) -> str:
    return host[4:] if host.startswith("www.") else host


def site_domain(host: str) -> str:
    """The domain an outlet owns, from its home host: ``www.kompas.com`` -> ``kompas.com``."""
    return _bare(_strip_variant_label(host.lower().rstrip(".")))


def is_on_site(url: str, site_host: str) -> bool:
    """True when ``url`` is an http(s) URL on the outlet's domain or one of its subdomains.

    ``site_host`` is the home page's host; ``https://nasional.kompas.com/...`` is on the site of
    ``www.kompas.com``, ``https://kompas.com.evil.example/`` is not.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.scheme.lower() not in DEFAULT_PORTS or not parts.hostname:
        return False
    host = parts.hostname.lower().rstrip(".")
    domain = site_domain(site_host)
    return host == domain or host.endswith("." + domain)


def _clean_query(query: str) -> str:
    kept = []
    for key, value in parse_qsl(query, keep_blank_values=True):
        low_key, low_value = key.lower(), value.lower()
        if low_key in TRACKING_PARAMS or low_key.startswith(TRACKING_PREFIXES):
            continue
        if (low_key, low_value) in ONE_PAGE_PARAMS or (low_key, low_value) in AMP_PARAMS:
            continue
        kept.append((key, value))
    kept.sort()
    return urlencode(kept, quote_via=quote, safe="/:@!$'()*+,;=-._~")


def _clean_path(path: str, keep_trailing_slash: bool) -> str:
    path = _SLASHES.sub("/", path or "/")
    segments = path.split("/")
    trailing = path.endswith("/") and path != "/"
    segments = [s for s in segments if s.lower() != "amp"]
    if segments:
        segments[-1] = _AMP_SUFFIX.sub("", segments[-1])
    path = "/".join(segments)
    if not path.startswith("/"):
        path = "/" + path
    path = _SLASHES.sub("/", path)
    if path != "/":
        path = path.rstrip("/")
        if keep_trailing_slash and trailing:
            path += "/"
    return path


def canonicalize_url(
    url: str, site_host: str | None = None, *, keep_trailing_slash: bool = False
) -> str:
    """The canonical form of an article URL (see the module docstring for the rules).

    Raises ``ValueError`` for anything that is not an absolute http(s) URL with a host.
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"not a valid URL: {url!r} ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    given = parts.hostname.lower().rstrip(".")
    host = _strip_variant_label(given)
    if site_host:
        site = site_host.lower().rstrip(".")
        if _bare(host) == site_domain(site):
            host = site
    elif host != given and _is_registered_domain(host):
        # m.kompas.com -> www.kompas.com: a site that serves mobile/AMP hosts beside its desktop
        # one serves the desktop pages on www (the variant labels are www's siblings)
        host = "www." + host
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username or parts.password:
        raise ValueError(f"URL with credentials is not an article URL: {url!r}")
    path = _clean_path(parts.path, keep_trailing_slash)
    query = _clean_query(parts.query)
    rebuilt = urlunsplit((scheme, netloc, path, query, ""))
    # percent-encoding, IDN hosts and query order normalised the same way everywhere
    normalised = _normalise_encoding(rebuilt, keep_blank_values=True)
    # w3lib keeps explicit default ports only if present; we removed them above already
    return normalised
