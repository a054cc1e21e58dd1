"""Use cases on the product catalog and its stock."""

from __future__ import annotations

from collections.abc import Sequence

from bazaar_common.clock import Clock, utc_now
from bazaar_common.db.read_pool import ReadPool, Row
from bazaar_inventory.adapters import product_reads
from bazaar_inventory.adapters.product_repository import CatalogFilter
from bazaar_inventory.domain.errors import ProductAlreadyExists, ProductNotFound
from bazaar_inventory.domain.model import Money, Product, Stock
from bazaar_inventory.service_layer.unit_of_work import InventoryUnitOfWork


async def create_product(
    uow: InventoryUnitOfWork,
    *,
    sku: str,
    name: str,
    description: str,
    price: Money,
    clock: Clock = utc_now,
) -> Product:
    now = clock()
    product = Product(sku, name, description, price, created_at=now, updated_at=now)
    async with uow:
        if not await uow.products.add(product):
            raise ProductAlreadyExists(sku)
        await uow.commit()
    return product


async def revise_product(
    uow: InventoryUnitOfWork,
    sku: str,
    *,
    name: str | None = None,
    description: str | None = None,
    price: Money | None = None,
    clock: Clock = utc_now,
) -> Product:
    async with uow:
        product = await uow.products.get(sku, for_update=True)
        if product is None:
            raise ProductNotFound(sku)
        revised = product.revised(now=clock(), name=name, description=description, price=price)
        await uow.products.update(revised)
        await uow.commit()
    return revised


async def restock(uow: InventoryUnitOfWork, sku: str, quantity: int) -> Stock:
    async with uow:
        locked = await uow.products.lock_stock([sku])
        if sku not in locked:
            raise ProductNotFound(sku)
        locked[sku].restock(quantity)
        await uow.products.save_stock(locked.values())
        await uow.commit()
    return locked[sku]


async def stock_of(uow: InventoryUnitOfWork, sku: str) -> Stock:
    async with uow.reading():
        found = await uow.products.get_stock(sku)
    if found is None:
        raise ProductNotFound(sku)
    return found


async def product_with_availability(uow: InventoryUnitOfWork, sku: str) -> tuple[Product, int]:
    async with uow.reading():
        found = await uow.products.get_with_availability(sku)
    if found is None:
        raise ProductNotFound(sku)
    return found


async def read_product(reads: ReadPool, sku: str) -> Row:
    """A product's row with its availability (``product_reads``), for rendering as it is."""
    found = await product_reads.product_with_availability(reads, sku)
    if found is None:
        raise ProductNotFound(sku)
    return found


async def read_catalog_page(
    reads: ReadPool, catalog_filter: CatalogFilter, *, after_sku: str | None, limit: int
) -> Sequence[Row]:
    return await product_reads.catalog_page(reads, catalog_filter, after_sku=after_sku, limit=limit)
