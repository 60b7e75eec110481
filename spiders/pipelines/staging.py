"""Write every record to the staging file of (run, source) with ``staging.StagingWriter``.

Settings: ``PANTAU_STAGING`` (folder) and ``PANTAU_RUN_ID``; the source name is the spider's
``source.name``. Counts go to the crawler stats as ``pantau/pages`` and ``pantau/errors``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Self

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from staging import StagingWriter


class StagingPipeline:
    def __init__(self, crawler: Crawler, staging: Path, run_id: str) -> None:
        self.crawler = crawler
        self.staging = staging
        self.run_id = run_id
        self.writer: StagingWriter | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        staging = crawler.settings.get("PANTAU_STAGING")
        run_id = crawler.settings.get("PANTAU_RUN_ID")
        if not staging or not run_id:
            raise NotConfigured("PANTAU_STAGING and PANTAU_RUN_ID must be set to stage records")
        return cls(crawler, Path(staging), str(run_id))

    def open_spider(self) -> None:
        spider = self.crawler.spider
        self.writer = StagingWriter(self.staging, self.run_id, spider.source.name)  # type: ignore[union-attr]

    def process_item(self, item: Any) -> Any:
        assert self.writer is not None and self.crawler.stats is not None
        record = ItemAdapter(item).asdict()
        self.writer.write(record)
        self.crawler.stats.inc_value(
            "pantau/pages" if record["type"] == "page" else "pantau/errors"
        )
        return item

    def close_spider(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None
