"""Use cases on reservations: hold stock for an order, then release or commit it.

Each is idempotent per order, so a saga step that is retried or delivered
twice has one effect. The reservation records its events; the unit of work
writes them with its changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from bazaar_common.clock import Clock, utc_now
from bazaar_inventory.domain.errors import (
    DifferentReservationHeld,
    ReservationInProgress,
    ReservationNotFound,
)
from bazaar_inventory.domain.model import Reservation, ReservationLine, ReservationStatus
from bazaar_inventory.domain.refusal import REFUSALS, RefusedReservation
from bazaar_inventory.service_layer.unit_of_work import InventoryUnitOfWork


async def reserve(
    uow: InventoryUnitOfWork,
    order_id: UUID,
    lines: Sequence[ReservationLine],
    *,
    clock: Clock = utc_now,
) -> Reservation:
    async with uow:
        existing = await uow.reservations.get(order_id)
        if existing is not None:
            return _replayed(existing, lines)
        stock = await uow.products.lock_stock(line.sku for line in lines)
        # A request for this order may have committed while we waited for the
        # stock locks; its result stands, whatever stock it left.
        existing = await uow.reservations.get(order_id)
        if existing is not None:
            return _replayed(existing, lines)
        reservation = Reservation.place(order_id, lines, stock, now=clock())
        if not await uow.reservations.add(reservation):
            # Another request for this order committed while we waited for
            # the stock locks; its result stands and a retry will return it.
            raise ReservationInProgress(order_id)
        await uow.products.save_stock(stock[sku] for sku in reservation.skus)
        await uow.commit()
    return reservation


async def reserve_or_refuse(
    uow: InventoryUnitOfWork,
    order_id: UUID,
    lines: Sequence[ReservationLine],
    *,
    clock: Clock = utc_now,
) -> Reservation | RefusedReservation:
    """The saga's ``ReserveStock``: hold the stock, or record why not; orders hears either."""
    answer: Reservation | RefusedReservation
    async with uow:
        try:
            answer = await reserve(uow, order_id, lines, clock=clock)
        except REFUSALS as refusal:
            # ``reserve`` wrote nothing, and leaving its joined block did not end ours.
            answer = RefusedReservation.of(order_id, refusal)
            uow.reservations.add_refused(answer)
        await uow.commit()
    return answer


def _replayed(existing: Reservation, lines: Sequence[ReservationLine]) -> Reservation:
    if not existing.matches(lines):
        raise DifferentReservationHeld(existing.order_id)
    return existing


async def release(
    uow: InventoryUnitOfWork, order_id: UUID, *, clock: Clock = utc_now
) -> Reservation:
    async with uow:
        reservation = await _locked(uow, order_id)
        if reservation.status is ReservationStatus.RELEASED:
            return reservation  # released before: one effect, one event
        stock = await uow.products.lock_stock(reservation.skus)
        reservation.release(stock, now=clock())
        await uow.products.save_stock(stock.values())
        await uow.reservations.save_status(reservation)
        await uow.commit()
    return reservation


async def commit(
    uow: InventoryUnitOfWork, order_id: UUID, *, clock: Clock = utc_now
) -> Reservation:
    async with uow:
        reservation = await _locked(uow, order_id)
        if reservation.status is ReservationStatus.COMMITTED:
            return reservation  # committed before: one effect, one event
        stock = await uow.products.lock_stock(reservation.skus)
        reservation.commit(stock, now=clock())
        await uow.products.save_stock(stock.values())
        await uow.reservations.save_status(reservation)
        await uow.commit()
    return reservation


async def get_reservation(uow: InventoryUnitOfWork, order_id: UUID) -> Reservation:
    async with uow:
        reservation = await uow.reservations.get(order_id)
    if reservation is None:
        raise ReservationNotFound(order_id)
    return reservation


async def _locked(uow: InventoryUnitOfWork, order_id: UUID) -> Reservation:
    reservation = await uow.reservations.get(order_id, for_update=True)
    if reservation is None:
        raise ReservationNotFound(order_id)
    return reservation
