"""What the inventory routes get injected."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from bazaar_inventory.service_layer.unit_of_work import InventoryUnitOfWork


async def unit_of_work(request: Request) -> InventoryUnitOfWork:
    return InventoryUnitOfWork(request.app.state.engine)


UnitOfWorkDep = Annotated[InventoryUnitOfWork, Depends(unit_of_work)]
