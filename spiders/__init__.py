"""pantau's crawler: a Scrapy project with one generic, config-driven news spider.

Entry point for other code: :func:`spiders.runner.crawl_source` (runs one outlet's crawl in a
subprocess and returns its stats). Everything else here is Scrapy plumbing: settings, the spider
(``spiders.news``), discovery parsers, item pipelines and downloader middlewares.
"""
