"""What the orders routes get injected."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Header, Request

from bazaar_orders.domain.idempotency import MAX_KEY_LENGTH, checked_key
from bazaar_orders.service_layer.ports import PriceCatalog
from bazaar_orders.service_layer.unit_of_work import OrdersUnitOfWork
from bazaar_orders.settings import OrdersSettings


async def unit_of_work(request: Request) -> OrdersUnitOfWork:
    return OrdersUnitOfWork(request.app.state.engine)


async def unit_of_work_factory(request: Request) -> Callable[[], OrdersUnitOfWork]:
    engine = request.app.state.engine
    return lambda: OrdersUnitOfWork(engine)


async def price_catalog(request: Request) -> PriceCatalog:
    prices: PriceCatalog = request.app.state.prices
    return prices


async def settings(request: Request) -> OrdersSettings:
    loaded: OrdersSettings = request.app.state.settings
    return loaded


async def idempotency_key(
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description=f"1 to {MAX_KEY_LENGTH} printable ASCII characters, unique per order",
        ),
    ] = None,
) -> str:
    # Checked here rather than by FastAPI so the refusals are our own problems.
    return checked_key(idempotency_key)


UnitOfWorkDep = Annotated[OrdersUnitOfWork, Depends(unit_of_work)]
UnitOfWorkFactoryDep = Annotated[Callable[[], OrdersUnitOfWork], Depends(unit_of_work_factory)]
PriceCatalogDep = Annotated[PriceCatalog, Depends(price_catalog)]
SettingsDep = Annotated[OrdersSettings, Depends(settings)]
IdempotencyKeyDep = Annotated[str, Depends(idempotency_key)]
