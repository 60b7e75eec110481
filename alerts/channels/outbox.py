"""The JSONL outbox: one JSON object per alert appended to a file, flushed and fsynced.

Idempotent: the outbox is read once (the alert ids already in it) before the first append of a
run, and an alert whose id is already there is not written again. So if pantau died after writing
a line but before marking the alert sent, the retry finds the line and only marks it. A torn last
line (the process died mid-write) is cut off before appending.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from alerts.channels.base import Alert, Channel, ChannelKey, ChannelSpec, DeliveryError, Digest
from alerts.channels.registry import register_channel

log = logging.getLogger(__name__)


@register_channel
class OutboxChannel(Channel):
    """Appends alerts to ``path`` (JSON Lines, UTF-8)."""

    type_name = "outbox"
    keys = (ChannelKey("path", "the JSON Lines file (default: `PANTAU_OUTBOX`)"),)
    batch_size = 500  # one write + fsync per batch; safe because ids already written are skipped

    def __init__(self, path: Path, name: str = "outbox") -> None:
        self.name = name
        self.path = Path(path)
        self._ids: set[str] | None = None

    @classmethod
    def from_spec(cls, spec: ChannelSpec, outbox: Path) -> OutboxChannel:
        return cls(Path(spec.options.get("path") or outbox), name=spec.name)

    def _load_ids(self) -> set[str]:
        ids: set[str] = set()
        if not self.path.exists():
            return ids
        with self.path.open("rb+") as fh:
            data = fh.read()
            if data and not data.endswith(b"\n"):
                cut = data.rfind(b"\n") + 1
                log.warning("%s: removing a torn last line (%d bytes) left by an interrupted "
                            "write", self.path, len(data) - cut)
                fh.truncate(cut)
                data = data[:cut]
        for number, line in enumerate(data.splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                log.warning("%s:%d: not JSON, ignored", self.path, number)
                continue
            if isinstance(record, dict) and isinstance(record.get("alert_id"), str):
                ids.add(record["alert_id"])
        return ids

    def _append(self, records: list[dict[str, Any]]) -> None:
        if self._ids is None:
            try:
                self._ids = self._load_ids()
            except OSError as exc:
                raise DeliveryError(f"{self.path}: cannot read the outbox: {exc}") from exc
        fresh = [r for r in records if r["alert_id"] not in self._ids]
        if not fresh:
            return
        payload = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in fresh).encode()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("ab") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            self._ids = None  # re-read (and cut a torn line) before the next append
            raise DeliveryError(f"{self.path}: cannot write to the outbox: {exc}") from exc
        self._ids.update(r["alert_id"] for r in fresh)

    def send(self, alert: Alert) -> None:
        self._append([alert.to_json()])

    def send_many(self, alerts: list[Alert]) -> None:
        self._append([a.to_json() for a in alerts])

    def send_digest(self, digest: Digest) -> None:
        self._append([{**a.to_json(), "digest_id": digest.id} for a in digest.alerts])
