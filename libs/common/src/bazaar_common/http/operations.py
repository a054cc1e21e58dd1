"""What an operator may ask a service about itself: its queue and dead letters (admins only).

Under the service's own prefix (``/orders/ops/messaging``), so it is reached
through the load balancer like the rest of its API; the console shows it.
A service that consumes nothing answers ``queue: null``.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from pydantic import BaseModel

from bazaar_common.auth import AdminPrincipal
from bazaar_common.errors import ServiceUnavailable
from bazaar_common.http.responses import NEEDS_ADMIN, problem_responses
from bazaar_common.messaging.queue_status import MessagingStatus, QueueStatus

logger = logging.getLogger("bazaar.operations")

router = APIRouter(tags=["operations"])


class MessagingOut(BaseModel):
    service: str
    messaging: MessagingStatus | None


@router.get(
    "/ops/messaging",
    response_model=MessagingOut,
    responses=problem_responses(*NEEDS_ADMIN, ServiceUnavailable),
)
async def messaging_status(request: Request, _: AdminPrincipal) -> MessagingOut:
    status: QueueStatus | None = getattr(request.app.state, "queue_status", None)
    service = request.app.state.entry.name
    if status is None:
        return MessagingOut(service=service, messaging=None)
    try:
        return MessagingOut(service=service, messaging=await status.read())
    except Exception as error:  # SQS away or refusing: say so, as for any dependency
        logger.warning("queue status unavailable: %s", type(error).__name__)
        raise ServiceUnavailable("The queue's status could not be read from SQS.") from error
