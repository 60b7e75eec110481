"""Item pipelines, one concern each, ordered in ``spiders.settings.ITEM_PIPELINES``."""
