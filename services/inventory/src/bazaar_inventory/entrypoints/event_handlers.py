"""The events inventory consumes, each with its handler: the order saga's commands (ADR 0007).

Each handler runs in the consumer's open unit of work, with the command's
inbox row: the use cases join it, and the reply they record commits with
the inbox row or not at all. A handler that raises rolls all of it back and
the command comes back (after ``max_receive_count`` receives, the DLQ).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping

from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import Event
from bazaar_common.messaging.handling import Handler
from bazaar_contracts.orders import CommitStock, ReleaseStock, ReserveStock
from bazaar_inventory.domain.errors import ReservationConflict, ReservationNotFound
from bazaar_inventory.domain.model import ReservationLine
from bazaar_inventory.service_layer import reservations
from bazaar_inventory.service_layer.unit_of_work import InventoryUnitOfWork

logger = logging.getLogger("bazaar.inventory.saga")


async def reserve_stock(
    command: ReserveStock, envelope: Envelope, uow: InventoryUnitOfWork
) -> None:
    lines = [ReservationLine(line.sku, line.quantity) for line in command.lines]
    await reservations.reserve_or_refuse(uow, command.order_id, lines)


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


HANDLERS: Mapping[type[Event], Handler[InventoryUnitOfWork]] = {
    ReserveStock: reserve_stock,
    ReleaseStock: release_stock,
    CommitStock: commit_stock,
}
