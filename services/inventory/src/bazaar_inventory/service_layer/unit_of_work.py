"""The inventory unit of work: one transaction, the repositories on it, and its outbox."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from bazaar_common.db.unit_of_work import SqlUnitOfWork
from bazaar_common.messaging.outbox import Outbox
from bazaar_inventory.adapters.product_repository import ProductRepository
from bazaar_inventory.adapters.reservation_repository import ReservationRepository
from bazaar_inventory.adapters.tables import messaging

SOURCE = "bazaar.inventory"


class InventoryUnitOfWork(SqlUnitOfWork):
    products: ProductRepository
    reservations: ReservationRepository

    def bind_repositories(self, connection: AsyncConnection) -> None:
        self.products = ProductRepository(connection)
        self.reservations = ReservationRepository(connection, self.seen)

    def outbox_on(self, connection: AsyncConnection) -> Outbox:
        return Outbox(connection, messaging.outbox, source=SOURCE)
