"""Downloader middlewares, one concern each; their order is set in ``spiders.settings``."""
