"""Use cases on reservations: hold stock for an order, then release or commit it.

Each is idempotent per order, so a saga step that is retried or delivered
twice has one effect.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from bazaar_common.clock import Clock, utc_now
from bazaar_contracts.fields import StockLine
from bazaar_contracts.inventory import StockCommitted, StockReleased, StockReserved
from bazaar_inventory.domain.errors import (
    DifferentReservationHeld,
    ReservationInProgress,
    ReservationNotFound,
)
from bazaar_inventory.domain.model import Reservation, ReservationLine, ReservationStatus
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
        await uow.outbox.add(StockReserved(order_id=order_id, lines=_reserved_lines(reservation)))
        await uow.commit()
    return reservation


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
        await uow.outbox.add(StockReleased(order_id=order_id, lines=_reserved_lines(reservation)))
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
        await uow.outbox.add(StockCommitted(order_id=order_id))
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


def _reserved_lines(reservation: Reservation) -> tuple[StockLine, ...]:
    return tuple(StockLine(sku=line.sku, quantity=line.quantity) for line in reservation.lines)
