"""pantau's crawler: a Scrapy project with one generic, config-driven news spider.

Entry point for other code::

    from spiders.runner import crawl_source
    stats = crawl_source(source, run_id, staging, seen_urls, allow_private_hosts=False,
                         timeout=3600, cache_dir=None, recheck=())

It runs one outlet's crawl in a subprocess (``python -m spiders.crawl_one``) and returns the
stats it wrote next to the records (``staging``). ``seen_urls`` is a collection of URLs
already in the warehouse, or a mapping URL -> last fetched (ISO 8601) to let updated articles
(newer sitemap ``lastmod`` / feed ``updated``) be fetched again. ``recheck``: recent articles to
request again with a conditional GET (``recheck.py``; the outlet's ``recheck_days``).

Layout (one concern per module):

- ``news.py``: the spider: discovery from feeds, sitemaps (indexes, Google News) and listing
  pages with pagination; dedup by canonical URL (``extract.urls``); page and error records.
- ``discovery.py``: feed/sitemap/listing parsers and the next-page finder (pure functions).
- ``records.py``, ``hintdates.py``: record shapes (HTML decoded by ``extract.decode``), hint dates.
- ``recheck.py``: the articles to re-check (validators, removed or not) and their file format.
- ``pipelines/``: validate -> one page per URL -> staging file.
- ``middlewares/``: http(s) only; private-address guard (also for redirects); robots.txt
  Crawl-delay; retries with backoff and Retry-After; conditional GET of discovery documents.
- ``resolver.py``: ``*.localhost`` -> 127.0.0.1 (RFC 6761) for the fixture web.
- ``settings.py``: polite defaults and the environment variables that tune them.

State between nights: ``<staging>/.crawlcache/<source>/`` keeps the last copy of each feed,
sitemap, listing page and robots.txt (Scrapy's filesystem HTTP cache) for conditional GET; it is
safe to delete (the next night then downloads them again in full).
"""
