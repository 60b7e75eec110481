"""pantau: nightly monitoring of Indonesian news outlets.

Crawl (Scrapy) -> extract (trafilatura + Indonesian rules) -> load (DuckDB) -> alerts.
"""

__version__ = "0.1.0"
