"""Delivery channels: the JSONL outbox, email, Slack, Telegram and generic webhooks."""

from alerts.channels.base import Alert, Channel, ChannelUnavailable, DeliveryError, Digest

__all__ = ["Alert", "Channel", "ChannelUnavailable", "DeliveryError", "Digest"]
