"""What the history routes get injected."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from bazaar_history.service_layer.unit_of_work import HistoryUnitOfWork


async def unit_of_work(request: Request) -> HistoryUnitOfWork:
    return HistoryUnitOfWork(request.app.state.engine)


UnitOfWorkDep = Annotated[HistoryUnitOfWork, Depends(unit_of_work)]
