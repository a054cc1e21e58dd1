"""Every query on reservations, and the reservations whose events the unit of work writes."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from bazaar_common.db.unit_of_work import RecordsEvents
from bazaar_inventory.adapters.tables import reservation_lines, reservations
from bazaar_inventory.domain.model import Reservation, ReservationLine, ReservationStatus
from bazaar_inventory.domain.refusal import RefusedReservation


class ReservationRepository:
    def __init__(self, connection: AsyncConnection, seen: list[RecordsEvents]) -> None:
        self._connection = connection
        self._seen = seen
        """The unit of work's: reservations written here, whose events it writes at commit."""

    async def get(self, order_id: UUID, *, for_update: bool = False) -> Reservation | None:
        query = select(reservations).where(reservations.c.order_id == order_id)
        if for_update:
            query = query.with_for_update()
        header = (await self._connection.execute(query)).mappings().first()
        if header is None:
            return None
        lines = await self._connection.execute(
            select(reservation_lines.c.sku, reservation_lines.c.quantity)
            .where(reservation_lines.c.order_id == order_id)
            .order_by(reservation_lines.c.sku)
        )
        return Reservation(
            order_id=header["order_id"],
            lines=tuple(ReservationLine(sku, quantity) for sku, quantity in lines),
            status=ReservationStatus(header["status"]),
            created_at=header["created_at"],
            updated_at=header["updated_at"],
        )

    async def add(self, reservation: Reservation) -> bool:
        """Insert a reservation; False when the order already has one."""
        inserted = await self._connection.execute(
            insert(reservations)
            .values(
                order_id=reservation.order_id,
                status=reservation.status.value,
                created_at=reservation.created_at,
                updated_at=reservation.updated_at,
            )
            .on_conflict_do_nothing(index_elements=[reservations.c.order_id])
            .returning(reservations.c.order_id)
        )
        if inserted.first() is None:
            return False
        await self._connection.execute(
            reservation_lines.insert(),
            [
                {"order_id": reservation.order_id, "sku": line.sku, "quantity": line.quantity}
                for line in reservation.lines
            ],
        )
        self._seen.append(reservation)
        return True

    def add_refused(self, refused: RefusedReservation) -> None:
        """Nothing of a refusal is kept but its answer, which the unit of work writes."""
        self._seen.append(refused)

    async def save_status(self, reservation: Reservation) -> None:
        await self._connection.execute(
            reservations.update()
            .where(reservations.c.order_id == reservation.order_id)
            .values(status=reservation.status.value, updated_at=reservation.updated_at)
        )
        self._seen.append(reservation)
