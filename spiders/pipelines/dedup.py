"""At most one page record per canonical URL per crawl (two discovered URLs may collapse)."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem


class OnePagePerUrlPipeline:
    def __init__(self) -> None:
        self._seen: set[str] = set()

    def process_item(self, item: Any) -> Any:
        record = ItemAdapter(item)
        if record.get("type") != "page":
            return item
        url = record["url"]
        if url in self._seen:
            raise DropItem(f"page {url} was already staged in this crawl")
        self._seen.add(url)
        return item
