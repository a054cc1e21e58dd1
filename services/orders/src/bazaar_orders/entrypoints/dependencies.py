"""What the orders routes get injected."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from bazaar_orders.service_layer.ports import PriceCatalog
from bazaar_orders.service_layer.unit_of_work import OrdersUnitOfWork


async def unit_of_work(request: Request) -> OrdersUnitOfWork:
    return OrdersUnitOfWork(request.app.state.engine)


async def unit_of_work_factory(request: Request) -> Callable[[], OrdersUnitOfWork]:
    engine = request.app.state.engine
    return lambda: OrdersUnitOfWork(engine)


async def price_catalog(request: Request) -> PriceCatalog:
    prices: PriceCatalog = request.app.state.prices
    return prices


UnitOfWorkDep = Annotated[OrdersUnitOfWork, Depends(unit_of_work)]
UnitOfWorkFactoryDep = Annotated[Callable[[], OrdersUnitOfWork], Depends(unit_of_work_factory)]
PriceCatalogDep = Annotated[PriceCatalog, Depends(price_catalog)]
