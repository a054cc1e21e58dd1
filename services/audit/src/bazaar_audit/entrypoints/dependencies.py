"""What the audit routes get injected."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from bazaar_audit.service_layer.unit_of_work import AuditUnitOfWork


async def unit_of_work(request: Request) -> AuditUnitOfWork:
    return AuditUnitOfWork(request.app.state.engine)


UnitOfWorkDep = Annotated[AuditUnitOfWork, Depends(unit_of_work)]
