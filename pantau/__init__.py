"""pantau: nightly monitoring of Indonesian news outlets.

Crawl (Scrapy) -> extract (trafilatura + Indonesian rules) -> load (DuckDB) -> alerts.
This package is the application on top (CLI, pipeline steps, Airflow tasks, operations); the
stages below it never import it (docs/architecture.md).
"""

from core import __version__

__all__ = ["__version__"]
