"""Every event type on the bus, defined once for its publisher and its consumers.

Services never import each other; they share these schemas instead. A type
belongs to the module of the service that publishes it. ``ALL_EVENTS`` is
what the audit service stores and what the catalog test checks against.
"""

from __future__ import annotations

from bazaar_common.messaging.events import Event
from bazaar_contracts import inventory, orders, payments, shipping

ALL_EVENTS: tuple[type[Event], ...] = (
    *orders.PUBLISHED,
    *inventory.PUBLISHED,
    *payments.PUBLISHED,
    *shipping.PUBLISHED,
)

__all__ = ["ALL_EVENTS", "inventory", "orders", "payments", "shipping"]
