"""HTTP routes of the product catalog: public reads, admin writes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from bazaar_common.auth import AdminPrincipal
from bazaar_inventory.adapters.product_repository import CatalogFilter
from bazaar_inventory.entrypoints.cursor import decode_cursor, encode_cursor
from bazaar_inventory.entrypoints.dependencies import UnitOfWorkDep
from bazaar_inventory.entrypoints.schemas import (
    SKU_PATTERN,
    Currency,
    PriceMinor,
    ProductCreate,
    ProductOut,
    ProductPage,
    ProductUpdate,
    Restock,
    SearchText,
    StockOut,
)
from bazaar_inventory.service_layer import catalog

router = APIRouter(prefix="/products", tags=["products"])
SkuPath = Annotated[str, Path(pattern=SKU_PATTERN)]


@router.get("", response_model=ProductPage)
async def list_products(
    uow: UnitOfWorkDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=100)] = None,
    q: Annotated[SearchText | None, Query(description="Name contains")] = None,
    currency: Annotated[Currency | None, Query()] = None,
    min_price: Annotated[PriceMinor | None, Query()] = None,
    max_price: Annotated[PriceMinor | None, Query()] = None,
    in_stock: Annotated[bool | None, Query()] = None,
) -> ProductPage:
    found = await catalog.catalog_page(
        uow,
        CatalogFilter(q, currency, min_price, max_price, in_stock),
        after_sku=decode_cursor(cursor) if cursor else None,
        limit=limit + 1,
    )
    items = [ProductOut.of(product, available) for product, available in found[:limit]]
    next_cursor = encode_cursor(items[-1].sku) if len(found) > limit else None
    return ProductPage(items=items, next_cursor=next_cursor)


@router.get("/{sku}", response_model=ProductOut)
async def get_product(uow: UnitOfWorkDep, sku: SkuPath) -> ProductOut:
    product, available = await catalog.product_with_availability(uow, sku)
    return ProductOut.of(product, available)


@router.post("", response_model=ProductOut, status_code=status.HTTP_201_CREATED)
async def create_product(uow: UnitOfWorkDep, _: AdminPrincipal, body: ProductCreate) -> ProductOut:
    product = await catalog.create_product(
        uow,
        sku=body.sku,
        name=body.name,
        description=body.description,
        price=body.price.to_domain(),
    )
    return ProductOut.of(product, available=0)


@router.patch("/{sku}", response_model=ProductOut)
async def revise_product(
    uow: UnitOfWorkDep, _: AdminPrincipal, sku: SkuPath, body: ProductUpdate
) -> ProductOut:
    await catalog.revise_product(
        uow,
        sku,
        name=body.name,
        description=body.description,
        price=body.price.to_domain() if body.price else None,
    )
    product, available = await catalog.product_with_availability(uow, sku)
    return ProductOut.of(product, available)


@router.post("/{sku}/restock", response_model=StockOut)
async def restock(uow: UnitOfWorkDep, _: AdminPrincipal, sku: SkuPath, body: Restock) -> StockOut:
    return StockOut.of(await catalog.restock(uow, sku, body.quantity))


@router.get("/{sku}/stock", response_model=StockOut)
async def get_stock(uow: UnitOfWorkDep, _: AdminPrincipal, sku: SkuPath) -> StockOut:
    return StockOut.of(await catalog.stock_of(uow, sku))
