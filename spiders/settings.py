"""Scrapy settings for pantau's crawler: polite, safe defaults; environment overrides.

The environment variables that tune them (``PANTAU_DOWNLOAD_DELAY``, ``PANTAU_CONTACT_URL``, ...)
are declared with their defaults in :class:`core.settings.Environment`. The ``PANTAU_*`` names
below that are not in it are Scrapy settings only (bounds a test may change per crawl).

AutoThrottle is on: it starts at twice the download delay and adapts to the server's latency,
never going below ``PANTAU_DOWNLOAD_DELAY``. ``PANTAU_ALLOW_PRIVATE_HOSTS`` (set per crawl by the
runner, not read from the environment here) lets requests reach loopback/private addresses;
``PANTAU_AS_OF`` is set per crawl by the runner too (``--as-of``).
"""

from __future__ import annotations

from core import __version__
from core.settings import environment
from extract.limits import DEFAULT_MAX_PAGE_BYTES

_env = environment()

DEFAULT_CONTACT_URL = "https://github.com/pantau-id/pantau"


BOT_NAME = "pantau"
SPIDER_MODULES = ["spiders.news"]
NEWSPIDER_MODULE = "spiders.news"

CONTACT_URL = _env.contact_url or DEFAULT_CONTACT_URL
USER_AGENT = f"pantau/{__version__} (+{CONTACT_URL})"
ROBOTSTXT_OBEY = True
ROBOTSTXT_USER_AGENT = "pantau"

# politeness
DOWNLOAD_DELAY = _env.download_delay
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = _env.concurrency_per_host or 1
# Scrapy starts this many asyncio workers for the output of every response (default 100); a
# response here yields one record or a few requests, and 100 idle workers per page cost more CPU
# than the page's own parsing (measured with cProfile: ~100 tasks created per request)
CONCURRENT_ITEMS = 8
AUTOTHROTTLE_ENABLED = _env.autothrottle
AUTOTHROTTLE_START_DELAY = DOWNLOAD_DELAY * 2
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = float(CONCURRENT_REQUESTS_PER_DOMAIN)
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # Scrapy 2.19 opens a control port by default: not for us
EXTENSIONS = {"scrapy.extensions.remote_control.RemoteControl": None}

# robustness
DOWNLOAD_TIMEOUT = _env.download_timeout
# one cap for the crawler and `pantau extract` (extract.limits explains the default)
DOWNLOAD_MAXSIZE = (DEFAULT_MAX_PAGE_BYTES if _env.max_page_bytes is None
                    else _env.max_page_bytes)
DOWNLOAD_WARNSIZE = DOWNLOAD_MAXSIZE // 2
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 5
PANTAU_RETRY_BACKOFF = _env.retry_backoff  # seconds, doubled per retry
PANTAU_RETRY_MAX_WAIT = 60.0  # longest wait for one retry (Retry-After included)
DNS_TIMEOUT = 20
TWISTED_DNS_RESOLVER = "spiders.resolver.LocalhostAwareResolver"

# safety: only http(s); no file:, ftp:, s3:, data: handlers at all
DOWNLOAD_HANDLERS = {"file": None, "ftp": None, "s3": None, "data": None}
PANTAU_ALLOW_PRIVATE_HOSTS = False
# a moment (ISO 8601) sent to a time-travelling test web (spiders.middlewares.as_of); unset for
# real outlets
PANTAU_AS_OF = ""
# extract pages as they are fetched (spiders.pipelines.extraction); the load reuses the results
PANTAU_EXTRACT_IN_CRAWL = _env.extract_in_crawl

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
