"""HTTP routes of reservations, for admins and operators.

The order saga reaches the same use cases through events; these routes let
an operator inspect a reservation or settle one by hand.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from uuid import UUID

from fastapi import APIRouter, Response, status

from bazaar_common.auth import AdminPrincipal, Principal
from bazaar_common.http.responses import (
    NEEDS_ADMIN,
    TAKES_BODY,
    TAKES_PARAMETERS,
    USES_DATABASE,
    problem_responses,
)
from bazaar_common.idempotency.claim import KeyPolicy
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
from bazaar_inventory.domain.model import Reservation
from bazaar_inventory.entrypoints.dependencies import UnitOfWorkDep
from bazaar_inventory.entrypoints.schemas import ReservationCreate, ReservationOut
from bazaar_inventory.service_layer import reservations
from bazaar_inventory.service_layer.unit_of_work import InventoryUnitOfWork

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
    return await _settle_once(uow, admin, key, policy, order_id, reservations.release)


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
    return await _settle_once(uow, admin, key, policy, order_id, reservations.commit)


async def _settle_once(
    uow: InventoryUnitOfWork,
    admin: Principal,
    key: str,
    policy: KeyPolicy,
    order_id: UUID,
    settle: Callable[[InventoryUnitOfWork, UUID], Awaitable[Reservation]],
) -> Response:
    """Release or commit by hand, once per key: a retry replays the first answer."""

    async def settled() -> ReservationOut:
        return ReservationOut.of(await settle(uow, order_id))

    request = keyed(admin, key, {settle.__name__: str(order_id)})
    return answer_response(await answer_once(uow, request, settled, policy=policy))
