"""HTTP route of an order's timeline: what happened to it, in causal order."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from bazaar_audit.domain.errors import TimelineNotFound
from bazaar_audit.entrypoints.dependencies import UnitOfWorkDep
from bazaar_audit.entrypoints.schemas import EventOut, TimelineOut
from bazaar_audit.service_layer import queries
from bazaar_common.auth import AdminPrincipal
from bazaar_common.http.responses import (
    NEEDS_ADMIN,
    TAKES_PARAMETERS,
    USES_DATABASE,
    problem_responses,
)

router = APIRouter(prefix="/orders", tags=["timelines"])


@router.get(
    "/{order_id}/timeline",
    response_model=TimelineOut,
    responses=problem_responses(*NEEDS_ADMIN, *TAKES_PARAMETERS, *USES_DATABASE, TimelineNotFound),
)
async def order_timeline(uow: UnitOfWorkDep, _: AdminPrincipal, order_id: UUID) -> TimelineOut:
    timeline = await queries.order_timeline(uow, order_id)
    return TimelineOut(
        order_id=timeline.order_id,
        events=EventOut.all_of(timeline.events),
        truncated=timeline.truncated,
    )
