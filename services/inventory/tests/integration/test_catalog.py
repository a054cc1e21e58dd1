"""Catalog use cases on a real Postgres: products, revisions and restocking."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from bazaar_inventory.adapters.product_repository import CatalogFilter
from bazaar_inventory.domain.errors import (
    ProductAlreadyExists,
    ProductNotFound,
    StockLimitExceeded,
)
from bazaar_inventory.domain.model import MAX_UNITS_RECEIVED, Money
from bazaar_inventory.service_layer import catalog

CREATED = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
REVISED = datetime(2030, 1, 2, 12, 0, tzinfo=UTC)


def counters(stock):
    """(sku, available, reserved, sold), after checking no unit was lost."""
    assert stock.available + stock.reserved + stock.sold == stock.received
    return (stock.sku, stock.available, stock.reserved, stock.sold)


async def test_a_new_product_is_stored_with_empty_stock(new_uow, stock_of):
    made = await catalog.create_product(
        new_uow(),
        sku="MUG-1",
        name="Mug",
        description="Blue\nstoneware",
        price=Money(1299, "EUR"),
        clock=lambda: CREATED,
    )
    product, available = await catalog.product_with_availability(new_uow(), "MUG-1")
    assert product == made
    assert (product.name, product.description, product.price) == (
        "Mug",
        "Blue\nstoneware",
        Money(1299, "EUR"),
    )
    assert product.created_at == product.updated_at == CREATED
    assert available == 0
    assert counters(await stock_of("MUG-1")) == ("MUG-1", 0, 0, 0)


async def test_a_taken_sku_is_refused_and_the_first_product_kept(new_uow, db):
    await catalog.create_product(
        new_uow(), sku="MUG-1", name="First", description="", price=Money(1, "EUR")
    )
    with pytest.raises(ProductAlreadyExists) as raised:
        await catalog.create_product(
            new_uow(), sku="MUG-1", name="Second", description="", price=Money(2, "USD")
        )
    assert raised.value.status == 409
    product, _ = await catalog.product_with_availability(new_uow(), "MUG-1")
    assert (product.name, product.price) == ("First", Money(1, "EUR"))
    assert await db.count("products") == 1
    assert await db.count("stock") == 1


async def test_revise_changes_only_the_given_fields(new_uow, add_product):
    await add_product("MUG-1", units=3, price=500)
    before, _ = await catalog.product_with_availability(new_uow(), "MUG-1")

    await catalog.revise_product(new_uow(), "MUG-1", name="Cup", clock=lambda: REVISED)
    product, available = await catalog.product_with_availability(new_uow(), "MUG-1")
    assert (product.name, product.description, product.price) == ("Cup", "", Money(500, "EUR"))
    assert product.created_at == before.created_at
    assert product.updated_at == REVISED
    assert available == 3

    await catalog.revise_product(
        new_uow(), "MUG-1", price=Money(450, "USD"), description="Now in USD"
    )
    product, _ = await catalog.product_with_availability(new_uow(), "MUG-1")
    assert (product.name, product.description, product.price) == (
        "Cup",
        "Now in USD",
        Money(450, "USD"),
    )


async def test_revising_an_unknown_product_is_not_found(new_uow, db):
    with pytest.raises(ProductNotFound):
        await catalog.revise_product(new_uow(), "NOPE", name="x")
    assert await db.count("products") == 0


async def test_restock_adds_up(new_uow, add_product, stock_of):
    await add_product("MUG-1")
    await catalog.restock(new_uow(), "MUG-1", 5)
    returned = await catalog.restock(new_uow(), "MUG-1", 7)
    assert counters(returned) == ("MUG-1", 12, 0, 0)
    assert counters(await stock_of("MUG-1")) == ("MUG-1", 12, 0, 0)


async def test_restocking_an_unknown_product_is_not_found(new_uow, db):
    with pytest.raises(ProductNotFound):
        await catalog.restock(new_uow(), "NOPE", 1)
    with pytest.raises(ProductNotFound):
        await catalog.stock_of(new_uow(), "NOPE")
    assert await db.count("stock") == 0


async def test_restock_stops_at_the_lifetime_limit(new_uow, add_product, db):
    await add_product("MUG-1", units=MAX_UNITS_RECEIVED)
    with pytest.raises(StockLimitExceeded):
        await catalog.restock(new_uow(), "MUG-1", 1)
    assert await db.stock_row("MUG-1") == {
        "available": MAX_UNITS_RECEIVED,
        "reserved": 0,
        "sold": 0,
        "received": MAX_UNITS_RECEIVED,
    }


async def test_catalog_page_is_in_sku_order_after_the_cursor(app, add_product):
    reads = app.state.read_pool
    for sku in ["C", "A", "E", "B", "D"]:
        await add_product(sku, units=1 if sku in "BD" else 0)
    page = await catalog.read_catalog_page(reads, CatalogFilter(), after_sku="B", limit=2)
    assert [(row["sku"], row["available"]) for row in page] == [("C", 0), ("D", 1)]
    in_stock = await catalog.read_catalog_page(
        reads, CatalogFilter(in_stock=True), after_sku=None, limit=10
    )
    assert [row["sku"] for row in in_stock] == ["B", "D"]


@pytest.mark.parametrize(
    "broken",
    [
        "UPDATE stock SET available = -1, received = received - 1",
        "UPDATE stock SET reserved = reserved + 1",
        "UPDATE stock SET sold = sold + 1, received = received + 1, available = available - 6",
        "UPDATE products SET price_minor = -1",
        "UPDATE products SET currency = 'eur'",
    ],
)
async def test_the_schema_refuses_stock_that_loses_or_invents_units(db, add_product, broken):
    """The constraints are the last line of defence, even against our own bugs."""
    await add_product("MUG-1", units=5)
    with pytest.raises(sa_exc.IntegrityError):
        async with db.engine.begin() as connection:
            await connection.execute(text(broken))
    assert await db.stock_row("MUG-1") == {"available": 5, "reserved": 0, "sold": 0, "received": 5}


async def test_the_database_refuses_a_lost_unit(new_uow, add_product):
    """The conservation CHECK is a real guard: received never follows the counters."""
    await add_product("MUG-1", units=5)
    async with new_uow() as uow:
        locked = await uow.products.lock_stock(["MUG-1"])
        locked["MUG-1"].available -= 1  # a bug that drops a unit
        with pytest.raises(sa_exc.IntegrityError, match="units_conserved"):
            await uow.products.save_stock(locked.values())
