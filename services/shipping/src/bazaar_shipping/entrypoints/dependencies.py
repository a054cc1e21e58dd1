"""What the shipping routes get injected."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from bazaar_shipping.service_layer.unit_of_work import ShippingUnitOfWork


async def unit_of_work(request: Request) -> ShippingUnitOfWork:
    return ShippingUnitOfWork(request.app.state.engine)


UnitOfWorkDep = Annotated[ShippingUnitOfWork, Depends(unit_of_work)]
