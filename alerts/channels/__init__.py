"""Delivery channels: the JSONL outbox, email, Slack, Telegram and generic webhooks.

Each channel type is one class that declares its rules-file keys and builds itself from a
definition; :mod:`alerts.channels.registry` knows them all.
"""

from alerts.channels.base import (
    Alert,
    Channel,
    ChannelKey,
    ChannelSpec,
    ChannelUnavailable,
    DeliveryError,
    Digest,
)

__all__ = ["Alert", "Channel", "ChannelKey", "ChannelSpec", "ChannelUnavailable", "DeliveryError",
           "Digest"]
