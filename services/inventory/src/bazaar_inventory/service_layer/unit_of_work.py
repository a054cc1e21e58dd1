"""The inventory unit of work: one transaction, the repositories on it, and its outbox."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from bazaar_common.db.unit_of_work import SqlUnitOfWork
from bazaar_common.idempotency.repository import IdempotencyRepository
from bazaar_common.messaging.outbox import Outbox
from bazaar_inventory.adapters.product_repository import ProductRepository
from bazaar_inventory.adapters.reservation_repository import ReservationRepository
from bazaar_inventory.adapters.tables import idempotency_keys, messaging
from bazaar_inventory.service_layer import catalog_changes

SOURCE = "bazaar.inventory"


class InventoryUnitOfWork(SqlUnitOfWork):
    products: ProductRepository
    reservations: ReservationRepository
    idempotency: IdempotencyRepository

    def bind_repositories(self, connection: AsyncConnection) -> None:
        self._written_skus: set[str] = set()
        self.products = ProductRepository(connection, written=self._product_written)
        self.reservations = ReservationRepository(connection, self.seen)
        self.idempotency = IdempotencyRepository(connection, idempotency_keys)

    def outbox_on(self, connection: AsyncConnection) -> Outbox:
        return Outbox(connection, messaging.outbox, source=SOURCE)

    def _product_written(self, sku: str) -> None:
        # This process's catalog cache drops the sku as soon as the commit
        # returns; other processes hear it from the NOTIFY (catalog_changes).
        if not self._written_skus:
            self.after_commit(
                lambda: catalog_changes.committed(self._engine, frozenset(self._written_skus))
            )
        self._written_skus.add(sku)
