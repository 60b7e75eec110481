"""Drop records that lack a key the staging format requires (a bug upstream, logged loudly)."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from spiders.records import ERROR_KEYS, PAGE_KEYS

REQUIRED = {"page": PAGE_KEYS, "error": ERROR_KEYS}


class ValidateRecordPipeline:
    def process_item(self, item: Any) -> Any:
        record = ItemAdapter(item)
        kind = record.get("type")
        if kind not in REQUIRED:
            raise DropItem(f"record type {kind!r} is not one of {sorted(REQUIRED)}")
        missing = [k for k in REQUIRED[kind] if k not in record]
        if missing:
            raise DropItem(f"{kind} record for {record.get('url')!r} lacks {', '.join(missing)}")
        return item
