"""The warehouse's own error, shared by opening (:mod:`warehouse.db`) and migrating
(:mod:`warehouse.migrate`)."""

from __future__ import annotations

from core.errors import PantauError


class WarehouseError(PantauError):
    """The warehouse cannot be opened or used as asked."""
