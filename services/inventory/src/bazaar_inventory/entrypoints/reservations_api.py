"""HTTP routes of reservations, for admins and operators.

The order saga reaches the same use cases through events; these routes let
an operator inspect a reservation or settle one by hand.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response, status

from bazaar_common.auth import AdminPrincipal
from bazaar_common.http.responses import (
    NEEDS_ADMIN,
    TAKES_BODY,
    TAKES_PARAMETERS,
    USES_DATABASE,
    problem_responses,
)
from bazaar_common.idempotency.http import (
    TAKES_IDEMPOTENCY_KEY,
    IdempotencyKey,
    IdempotencyPolicy,
    answer_response,
    keyed,
)
from bazaar_common.idempotency.once import answer_once
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
    *NEEDS_ADMIN,
    *TAKES_PARAMETERS,
    *USES_DATABASE,
    *TAKES_IDEMPOTENCY_KEY,
    ReservationNotFound,
    ReservationConflict,
)


@router.post(
    "",
    response_model=ReservationOut,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(
        *NEEDS_ADMIN,
        *TAKES_BODY,
        *USES_DATABASE,
        *TAKES_IDEMPOTENCY_KEY,
        UnknownProducts,
        InsufficientStock,
        ReservationConflict,
    ),
)
async def reserve(
    uow: UnitOfWorkDep,
    admin: AdminPrincipal,
    key: IdempotencyKey,
    policy: IdempotencyPolicy,
    body: ReservationCreate,
) -> Response:
    """Reserve every line or none; a retry with the same `Idempotency-Key` replays."""

    async def hold() -> ReservationOut:
        lines = [line.to_domain() for line in body.lines]
        return ReservationOut.of(await reservations.reserve(uow, body.order_id, lines))

    request = keyed(admin, key, body.model_dump(mode="json"))
    answer = await answer_once(uow, request, hold, policy=policy, status_code=201)
    return answer_response(answer)


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
async def release(
    uow: UnitOfWorkDep,
    admin: AdminPrincipal,
    key: IdempotencyKey,
    policy: IdempotencyPolicy,
    order_id: UUID,
) -> Response:
    async def settle() -> ReservationOut:
        return ReservationOut.of(await reservations.release(uow, order_id))

    request = keyed(admin, key, {"release": str(order_id)})
    return answer_response(await answer_once(uow, request, settle, policy=policy))


@router.post(
    "/{order_id}/commit",
    response_model=ReservationOut,
    responses=SETTLING,
)
async def commit(
    uow: UnitOfWorkDep,
    admin: AdminPrincipal,
    key: IdempotencyKey,
    policy: IdempotencyPolicy,
    order_id: UUID,
) -> Response:
    async def settle() -> ReservationOut:
        return ReservationOut.of(await reservations.commit(uow, order_id))

    request = keyed(admin, key, {"commit": str(order_id)})
    return answer_response(await answer_once(uow, request, settle, policy=policy))
