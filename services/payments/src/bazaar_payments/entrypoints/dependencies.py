"""What the payments routes get injected."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from bazaar_payments.service_layer.unit_of_work import PaymentsUnitOfWork


async def unit_of_work(request: Request) -> PaymentsUnitOfWork:
    # The routes only read: they need no card processor.
    return PaymentsUnitOfWork(request.app.state.engine)


UnitOfWorkDep = Annotated[PaymentsUnitOfWork, Depends(unit_of_work)]
