"""The shipping unit of work: one transaction, the repository on it, its outbox."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from bazaar_common.db.unit_of_work import SqlUnitOfWork
from bazaar_common.messaging.outbox import Outbox
from bazaar_shipping.adapters.repository import ShipmentRepository
from bazaar_shipping.adapters.tables import messaging

SOURCE = "bazaar.shipping"


class ShippingUnitOfWork(SqlUnitOfWork):
    shipments: ShipmentRepository

    def bind_repositories(self, connection: AsyncConnection) -> None:
        self.shipments = ShipmentRepository(connection, self.seen)

    def outbox_on(self, connection: AsyncConnection) -> Outbox:
        return Outbox(connection, messaging.outbox, source=SOURCE)
