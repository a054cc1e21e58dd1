"""Helpers of the service-layer tests: products made through the use cases, a racing pool.

Commands are delivered with the plugin's ``deliver`` (the consumer's own handling).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from bazaar_common.db.engine import create_engine
from bazaar_inventory.domain.model import Money, Stock
from bazaar_inventory.service_layer import catalog
from bazaar_inventory.service_layer.unit_of_work import InventoryUnitOfWork

NewUow = Callable[[], InventoryUnitOfWork]


@pytest.fixture
def add_product(new_uow: NewUow) -> Callable[..., Awaitable[None]]:
    """``await add_product(sku, units=0, price=100, currency="EUR")``."""

    async def add(sku: str, *, units: int = 0, price: int = 100, currency: str = "EUR") -> None:
        await catalog.create_product(
            new_uow(), sku=sku, name=f"Product {sku}", description="", price=Money(price, currency)
        )
        if units:
            await catalog.restock(new_uow(), sku, units)

    return add


@pytest.fixture
def stock_of(new_uow: NewUow) -> Callable[[str], Awaitable[Stock]]:
    return lambda sku: catalog.stock_of(new_uow(), sku)


@pytest.fixture
async def race_uow(app, settings):
    """Like ``new_uow``, on an engine whose pool makes callers wait, not fail.

    The pool timeout is raised for these tests only, so a slow machine
    queues rather than failing.
    """
    engine = create_engine(
        settings.model_copy(update={"db_pool_timeout_seconds": 60.0}),
        application_name="inventory-race-test",
    )
    assert engine.pool.size() == settings.db_pool_size  # type: ignore[attr-defined]
    yield lambda: InventoryUnitOfWork(engine)
    await engine.dispose()
