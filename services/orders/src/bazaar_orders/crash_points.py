"""A test hook: kill the process at a chosen point of the saga, as a crash would.

The crash-recovery tests (``tests/e2e/test_crash_recovery.py``) start the
service with ``CRASH_POINT`` set and check that the order still ends
CONFIRMED or CANCELLED after a restart. The settings refuse the variable
outside the ``local`` and ``test`` environments, so no deployed task can
carry it. ``create_app`` arms the point: it listens to the use cases'
``checkpoints``, which name the moments and know nothing of crashes.
SIGKILL, not an exception: nothing may run after the point (no rollback, no
response, no finally block), exactly as with ``kill -9``.
"""

from __future__ import annotations

import logging
import os
import signal
from enum import StrEnum

from bazaar_contracts.inventory import StockReserved
from bazaar_contracts.payments import PaymentCaptured
from bazaar_orders.service_layer import checkpoints

logger = logging.getLogger("bazaar.orders.crash")


class CrashPoint(StrEnum):
    AFTER_ORDER_PLACED = "after-order-placed"
    """The placement transaction committed; the response is not sent yet."""
    ON_STOCK_RESERVED = "on-stock-reserved"
    """The StockReserved handler wrote its changes; the consumer has not committed."""
    ON_PAYMENT_CAPTURED = "on-payment-captured"
    """The PaymentCaptured handler wrote its changes; the consumer has not committed."""


CHECKPOINTS: dict[str, CrashPoint] = {
    checkpoints.ORDER_PLACED: CrashPoint.AFTER_ORDER_PLACED,
    checkpoints.reply_applied(StockReserved.event_type): CrashPoint.ON_STOCK_RESERVED,
    checkpoints.reply_applied(PaymentCaptured.event_type): CrashPoint.ON_PAYMENT_CAPTURED,
}
"""The checkpoint at which each crash point is reached."""

_armed: CrashPoint | None = None


def arm(point: CrashPoint | None) -> None:
    """Set (or, with None, clear) the point at which this process kills itself."""
    global _armed
    _armed = point
    checkpoints.listen(None if point is None else _at_checkpoint)


def _at_checkpoint(checkpoint: str) -> None:
    point = CHECKPOINTS.get(checkpoint)
    if point is not None:
        reached(point)


def reached(point: CrashPoint) -> None:
    if _armed is not point:
        return
    logger.warning("crash point reached: killing the process", extra={"crash_point": point.value})
    os.kill(os.getpid(), signal.SIGKILL)
