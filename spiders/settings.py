"""Scrapy settings for pantau's crawler: polite, safe defaults; environment overrides.

==============================  ==========================================  =====================
environment variable            meaning                                     default
==============================  ==========================================  =====================
``PANTAU_CONTACT_URL``          contact URL in the User-Agent               the project's GitHub
``PANTAU_DOWNLOAD_DELAY``       seconds between requests to one host        ``0.5`` (tests: ``0``)
``PANTAU_CONCURRENCY_PER_HOST`` parallel requests per host                  ``2``
``PANTAU_DOWNLOAD_TIMEOUT``     seconds before one request times out        ``30``
``PANTAU_MAX_PAGE_BYTES``       largest response, also after decompression  ``10485760`` (10 MiB)
``PANTAU_RETRY_BACKOFF``        first retry's wait (s), doubled per retry   ``1`` (tests: ``0``)
``PANTAU_AUTOTHROTTLE``         ``0`` turns AutoThrottle off (benchmarks)   on
``PANTAU_AS_OF``                moment sent as ``X-Pantau-As-Of`` (tests)   unset: no header
``PANTAU_EXTRACT_IN_CRAWL``     ``0``: pages are extracted at load time     on
==============================  ==========================================  =====================

AutoThrottle is on: it starts at twice the download delay and adapts to the server's latency,
never going below ``PANTAU_DOWNLOAD_DELAY``. ``PANTAU_ALLOW_PRIVATE_HOSTS`` (set per crawl by the
runner, not read from the environment here) lets requests reach loopback/private addresses.
"""

from __future__ import annotations

import os

from core import __version__
from core.settings import env_flag, env_number
from extract.limits import DEFAULT_MAX_PAGE_BYTES

DEFAULT_CONTACT_URL = "https://github.com/pantau-id/pantau"




BOT_NAME = "pantau"
SPIDER_MODULES = ["spiders.news"]
NEWSPIDER_MODULE = "spiders.news"

CONTACT_URL = os.environ.get("PANTAU_CONTACT_URL", "").strip() or DEFAULT_CONTACT_URL
USER_AGENT = f"pantau/{__version__} (+{CONTACT_URL})"
ROBOTSTXT_OBEY = True
ROBOTSTXT_USER_AGENT = "pantau"

# politeness
DOWNLOAD_DELAY = env_number("PANTAU_DOWNLOAD_DELAY", 0.5)
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = int(env_number("PANTAU_CONCURRENCY_PER_HOST", 2)) or 1
# Scrapy starts this many asyncio workers for the output of every response (default 100); a
# response here yields one record or a few requests, and 100 idle workers per page cost more CPU
# than the page's own parsing (measured with cProfile: ~100 tasks created per request)
CONCURRENT_ITEMS = 8
AUTOTHROTTLE_ENABLED = env_flag("PANTAU_AUTOTHROTTLE", True)
AUTOTHROTTLE_START_DELAY = DOWNLOAD_DELAY * 2
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = float(CONCURRENT_REQUESTS_PER_DOMAIN)
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # Scrapy 2.19 opens a control port by default: not for us
EXTENSIONS = {"scrapy.extensions.remote_control.RemoteControl": None}

# robustness
DOWNLOAD_TIMEOUT = env_number("PANTAU_DOWNLOAD_TIMEOUT", 30)
# one cap for the crawler and `pantau extract` (extract.limits explains the default)
DOWNLOAD_MAXSIZE = int(env_number("PANTAU_MAX_PAGE_BYTES", DEFAULT_MAX_PAGE_BYTES))
DOWNLOAD_WARNSIZE = DOWNLOAD_MAXSIZE // 2
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 5
PANTAU_RETRY_BACKOFF = env_number("PANTAU_RETRY_BACKOFF", 1.0)  # seconds, doubled per retry
PANTAU_RETRY_MAX_WAIT = 60.0  # longest wait for one retry (Retry-After included)
DNS_TIMEOUT = 20
TWISTED_DNS_RESOLVER = "spiders.resolver.LocalhostAwareResolver"

# safety: only http(s); no file:, ftp:, s3:, data: handlers at all
DOWNLOAD_HANDLERS = {"file": None, "ftp": None, "s3": None, "data": None}
PANTAU_ALLOW_PRIVATE_HOSTS = False
# a moment (ISO 8601) sent to a time-travelling test web (spiders.middlewares.as_of); unset for
# real outlets
PANTAU_AS_OF = os.environ.get("PANTAU_AS_OF", "").strip()
# extract pages as they are fetched (spiders.pipelines.extraction); the load reuses the results
PANTAU_EXTRACT_IN_CRAWL = env_flag("PANTAU_EXTRACT_IN_CRAWL", True)

# conditional GET of feeds/sitemaps/listings/robots.txt across nights; the runner sets
# HTTPCACHE_DIR per outlet (<staging>/.crawlcache/<source>); articles are never cached
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "spiders.middlewares.discovery_cache.DiscoveryRevalidationPolicy"
HTTPCACHE_STORAGE = "scrapy.extensions.httpcache.FilesystemCacheStorage"
HTTPCACHE_EXPIRATION_SECS = 0
HTTPCACHE_GZIP = True
PANTAU_ROBOTS_MAX_AGE = 20 * 3600
PANTAU_MAX_CRAWL_DELAY = 30.0  # robots.txt Crawl-delay is honoured up to this many seconds

# discovery bounds
PANTAU_SITEMAP_MAX_DEPTH = 3  # index -> index -> urlset
PANTAU_SITEMAP_MAX_CHILDREN = 50  # newest children of an index
PANTAU_LISTING_MAX_PAGES = 10  # pages followed per configured listing
PANTAU_LISTING_MAX_LINKS = 300  # article links taken from one listing page
PANTAU_MAX_REFETCHES = 500  # updated articles fetched again per crawl
PANTAU_MAX_RECHECKS = 2000  # recent articles re-checked per crawl (recheck_days), newest first
PANTAU_FOLLOW_ARTICLE_PAGES = True  # split articles: fetch the single view or pages 2..N
PANTAU_MAX_ARTICLE_PAGES = 20

DOWNLOADER_MIDDLEWARES = {
    # before robots.txt (100), so not even robots.txt is fetched from a refused host
    "spiders.middlewares.http_only.HttpOnlyMiddleware": 30,
    "spiders.middlewares.private_hosts.PrivateHostMiddleware": 40,
    "spiders.middlewares.as_of.AsOfHeaderMiddleware": 50,  # off unless PANTAU_AS_OF is set
    "spiders.middlewares.crawl_delay.CrawlDelayMiddleware": 120,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "spiders.middlewares.backoff_retry.BackoffRetryMiddleware": 550,
    "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware": None,
    # below DownloaderStats (850): stats count real network traffic (a 304 as 304)
    "spiders.middlewares.discovery_cache.DiscoveryCacheMiddleware": 840,
}

ITEM_PIPELINES = {
    "spiders.pipelines.validate.ValidateRecordPipeline": 100,
    "spiders.pipelines.dedup.OnePagePerUrlPipeline": 200,
    "spiders.pipelines.extraction.ExtractionPipeline": 800,  # off: PANTAU_EXTRACT_IN_CRAWL=0
    "spiders.pipelines.staging.StagingPipeline": 900,
}

LOG_LEVEL = "INFO"
# Scrapy reads every callback's source code to warn about generators with return values
WARN_ON_GENERATOR_RETURN_VALUE = False
