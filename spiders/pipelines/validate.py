"""Drop records that lack a key the staging format requires (a bug upstream, logged loudly)."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from staging.records import REQUIRED_KEYS, missing_keys


class ValidateRecordPipeline:
    def process_item(self, item: Any) -> Any:
        record = ItemAdapter(item).asdict()
        missing = missing_keys(record)
        if missing == ["type"]:
            raise DropItem(f"record type {record.get('type')!r} is not one of "
                           f"{sorted(REQUIRED_KEYS)}")
        if missing:
            raise DropItem(f"{record['type']} record for {record.get('url')!r} lacks "
                           f"{', '.join(missing)}")
        return item
