"""HTTP routes of reservations, for admins and operators.

The order saga reaches the same use cases through events; these routes let
an operator inspect a reservation or settle one by hand.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status

from bazaar_common.auth import AdminPrincipal
from bazaar_common.http.responses import (
    NEEDS_ADMIN,
    TAKES_BODY,
    TAKES_PARAMETERS,
    USES_DATABASE,
    problem_responses,
)
from bazaar_inventory.domain.errors import (
    InsufficientStock,
    ReservationConflict,
    ReservationNotFound,
    UnknownProducts,
)
from bazaar_inventory.entrypoints.dependencies import UnitOfWorkDep
from bazaar_inventory.entrypoints.schemas import ReservationCreate, ReservationOut
from bazaar_inventory.service_layer import reservations

router = APIRouter(prefix="/reservations", tags=["reservations"])
SETTLING = problem_responses(
    *NEEDS_ADMIN, *TAKES_PARAMETERS, *USES_DATABASE, ReservationNotFound, ReservationConflict
)


@router.post(
    "",
    response_model=ReservationOut,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(
        *NEEDS_ADMIN,
        *TAKES_BODY,
        *USES_DATABASE,
        UnknownProducts,
        InsufficientStock,
        ReservationConflict,
    ),
)
async def reserve(uow: UnitOfWorkDep, _: AdminPrincipal, body: ReservationCreate) -> ReservationOut:
    lines = [line.to_domain() for line in body.lines]
    return ReservationOut.of(await reservations.reserve(uow, body.order_id, lines))


@router.get(
    "/{order_id}",
    response_model=ReservationOut,
    responses=problem_responses(
        *NEEDS_ADMIN, *TAKES_PARAMETERS, *USES_DATABASE, ReservationNotFound
    ),
)
async def get_reservation(uow: UnitOfWorkDep, _: AdminPrincipal, order_id: UUID) -> ReservationOut:
    return ReservationOut.of(await reservations.get_reservation(uow, order_id))


@router.post(
    "/{order_id}/release",
    response_model=ReservationOut,
    responses=SETTLING,
)
async def release(uow: UnitOfWorkDep, _: AdminPrincipal, order_id: UUID) -> ReservationOut:
    return ReservationOut.of(await reservations.release(uow, order_id))


@router.post(
    "/{order_id}/commit",
    response_model=ReservationOut,
    responses=SETTLING,
)
async def commit(uow: UnitOfWorkDep, _: AdminPrincipal, order_id: UUID) -> ReservationOut:
    return ReservationOut.of(await reservations.commit(uow, order_id))
