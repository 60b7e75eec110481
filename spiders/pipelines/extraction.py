"""Extract each fetched page while the crawl goes on, and keep the result in its record.

Extraction is the CPU-heavy part of a night. Done here, it overlaps with the downloads of the
outlet's other pages and runs on the crawl workers (several processes, or several Airflow
workers), so the single-writer load only reads the results (``extract.staged``; a result
made by an older extractor or with other settings is redone at load time).

``PANTAU_EXTRACT_IN_CRAWL=0`` (Scrapy setting of the same name) turns it off: then the load
extracts everything, as ``pantau reprocess`` always does.
"""

from __future__ import annotations

from typing import Any, Self

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from extract import SiteOptions
from extract.staged import staged_extraction
from staging import PageRecord, parse_record


class ExtractionPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.options: SiteOptions | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("PANTAU_EXTRACT_IN_CRAWL", True):
            raise NotConfigured("PANTAU_EXTRACT_IN_CRAWL is off: the load extracts the pages")
        return cls(crawler)

    def open_spider(self) -> None:
        self.options = self.crawler.spider.source.site_options  # type: ignore[union-attr]

    def process_item(self, item: Any) -> Any:
        record = ItemAdapter(item)
        if record.get("type") == "page":
            assert self.options is not None
            page = parse_record(record.asdict())
            assert isinstance(page, PageRecord)
            record["extracted"] = staged_extraction(page, self.options)
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("pantau/extracted")
        return item
