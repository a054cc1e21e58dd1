"""The order saga's commands to inventory (ADR 0007), handled off the bus.

Each handler runs in the consumer's open unit of work, with the command's
inbox row: the use cases join it, and a reply written to the outbox commits
with the inbox row or not at all. A handler that raises rolls all of it back
and the command comes back (after ``max_receive_count`` receives, the DLQ).
"""

from __future__ import annotations

import contextlib
import logging

from bazaar_common.messaging.envelope import Envelope
from bazaar_contracts.inventory import Shortage, StockRejected
from bazaar_contracts.orders import CommitStock, ReleaseStock, ReserveStock
from bazaar_inventory.domain.errors import (
    DifferentReservationHeld,
    InsufficientStock,
    ReservationConflict,
    ReservationNotFound,
    UnknownProducts,
)
from bazaar_inventory.domain.model import ReservationLine
from bazaar_inventory.service_layer import reservations
from bazaar_inventory.service_layer.unit_of_work import InventoryUnitOfWork

logger = logging.getLogger("bazaar.inventory.saga")

Refusal = InsufficientStock | UnknownProducts | DifferentReservationHeld
# Refusals are final answers, replied to. Anything else (a reservation being
# made concurrently, lines out of bounds, the database) is raised: retried.
REJECTION_REASONS: dict[type[Refusal], str] = {
    InsufficientStock: "insufficient-stock",
    UnknownProducts: "unknown-products",
    DifferentReservationHeld: "reservation-conflict",
}


async def reserve_stock(
    command: ReserveStock, envelope: Envelope, uow: InventoryUnitOfWork
) -> None:
    lines = [ReservationLine(line.sku, line.quantity) for line in command.lines]
    try:
        await reservations.reserve(uow, command.order_id, lines)
    except (InsufficientStock, UnknownProducts, DifferentReservationHeld) as refusal:
        # The use case wrote nothing, and leaving its block did not end ours.
        await uow.outbox.add(rejection(command, refusal))


async def release_stock(
    command: ReleaseStock, envelope: Envelope, uow: InventoryUnitOfWork
) -> None:
    # Nothing held: the ReserveStock may still be queued. If it is carried out
    # later, orders answers its StockReserved with another ReleaseStock.
    with contextlib.suppress(ReservationNotFound):
        await reservations.release(uow, command.order_id)


async def commit_stock(command: CommitStock, envelope: Envelope, uow: InventoryUnitOfWork) -> None:
    try:
        await reservations.commit(uow, command.order_id)
    except (ReservationNotFound, ReservationConflict) as error:
        # Orders commits only what inventory said it reserved: this is a bug
        # upstream, for an operator to see in the DLQ, never to be skipped.
        logger.error(
            "CommitStock refused; it is retried, then dead-lettered",
            extra={
                "order_id": str(command.order_id),
                "problem": error.code,
                "event_id": str(envelope.id),
            },
        )
        raise


def rejection(command: ReserveStock, refusal: Refusal) -> StockRejected:
    shortages = refusal.shortages if isinstance(refusal, InsufficientStock) else ()
    return StockRejected(
        order_id=command.order_id,
        reason=REJECTION_REASONS[type(refusal)],
        shortages=tuple(
            Shortage(sku=item.sku, requested=item.requested, available=item.available)
            for item in shortages
        ),
    )
