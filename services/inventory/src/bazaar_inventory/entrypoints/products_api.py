"""HTTP routes of the product catalog: public reads, admin writes.

The two public reads go through the catalog cache (``catalog_cache``); on a
miss they read rows on the read pool and render them straight to JSON
(``product_rendering``). Their ``response_model`` stays for the OpenAPI
document, which a returned ``Response`` leaves as it is.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status

from bazaar_common.auth import AdminPrincipal
from bazaar_common.db.dependencies import ReadPoolDep
from bazaar_common.http.conditional import IfNoneMatchHeader
from bazaar_common.http.cursor import CursorQuery, InvalidCursor
from bazaar_common.http.responses import (
    NEEDS_ADMIN,
    TAKES_BODY,
    TAKES_PARAMETERS,
    USES_DATABASE,
    problem_responses,
)
from bazaar_common.idempotency.http import (
    TAKES_IDEMPOTENCY_KEY,
    IdempotencyKey,
    IdempotencyPolicy,
    answer_response,
    keyed,
)
from bazaar_common.idempotency.once import answer_once
from bazaar_inventory.adapters.product_repository import CatalogFilter
from bazaar_inventory.catalog_cache.reads import CACHED_READ_RESPONSES, cached_read
from bazaar_inventory.catalog_cache.store import SkuSpan
from bazaar_inventory.domain.errors import (
    ProductAlreadyExists,
    ProductNotFound,
    StockLimitExceeded,
)
from bazaar_inventory.entrypoints.cursor import CATALOG_CURSOR
from bazaar_inventory.entrypoints.dependencies import UnitOfWorkDep
from bazaar_inventory.entrypoints.product_rendering import catalog_page_body, product_body
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


@router.get(
    "",
    response_model=ProductPage,
    responses={
        **CACHED_READ_RESPONSES,
        **problem_responses(*TAKES_PARAMETERS, *USES_DATABASE, InvalidCursor),
    },
)
async def list_products(
    request: Request,
    reads: ReadPoolDep,
    _if_none_match: IfNoneMatchHeader = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: CursorQuery = None,
    q: Annotated[SearchText | None, Query(description="Name contains")] = None,
    currency: Annotated[Currency | None, Query()] = None,
    min_price: Annotated[PriceMinor | None, Query()] = None,
    max_price: Annotated[PriceMinor | None, Query()] = None,
    in_stock: Annotated[bool | None, Query()] = None,
) -> Response:
    after_sku = CATALOG_CURSOR.decode(cursor).sku if cursor is not None else None
    catalog_filter = CatalogFilter(q, currency, min_price, max_price, in_stock)

    async def load() -> tuple[bytes, SkuSpan]:
        rows = await catalog.read_catalog_page(
            reads, catalog_filter, after_sku=after_sku, limit=limit + 1
        )
        page = catalog_page_body(rows, limit)
        return page.body, SkuSpan.page(after=after_sku, through=page.last_sku)

    return await cached_read(request, ("page", limit, after_sku, catalog_filter), load)


@router.get(
    "/{sku}",
    response_model=ProductOut,
    responses={
        **CACHED_READ_RESPONSES,
        **problem_responses(*TAKES_PARAMETERS, *USES_DATABASE, ProductNotFound),
    },
)
async def get_product(
    request: Request, reads: ReadPoolDep, sku: SkuPath, _if_none_match: IfNoneMatchHeader = None
) -> Response:
    async def load() -> tuple[bytes, SkuSpan]:
        return product_body(await catalog.read_product(reads, sku)), SkuSpan.product(sku)

    return await cached_read(request, ("product", sku), load)


@router.post(
    "",
    response_model=ProductOut,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(
        *NEEDS_ADMIN, *TAKES_BODY, *USES_DATABASE, *TAKES_IDEMPOTENCY_KEY, ProductAlreadyExists
    ),
)
async def create_product(
    uow: UnitOfWorkDep,
    admin: AdminPrincipal,
    key: IdempotencyKey,
    policy: IdempotencyPolicy,
    body: ProductCreate,
) -> Response:
    """Create a product with no stock; a retry with the same `Idempotency-Key` replays."""

    async def create() -> ProductOut:
        product = await catalog.create_product(
            uow,
            sku=body.sku,
            name=body.name,
            description=body.description,
            price=body.price.to_domain(),
        )
        return ProductOut.of(product, available=0)

    request = keyed(admin, key, body.model_dump(mode="json"))
    answer = await answer_once(uow, request, create, policy=policy, status_code=201)
    return answer_response(answer)


@router.patch(
    "/{sku}",
    response_model=ProductOut,
    responses=problem_responses(*NEEDS_ADMIN, *TAKES_BODY, *USES_DATABASE, ProductNotFound),
)
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


@router.post(
    "/{sku}/restock",
    response_model=StockOut,
    responses=problem_responses(
        *NEEDS_ADMIN,
        *TAKES_BODY,
        *USES_DATABASE,
        *TAKES_IDEMPOTENCY_KEY,
        ProductNotFound,
        StockLimitExceeded,
    ),
)
async def restock(
    uow: UnitOfWorkDep,
    admin: AdminPrincipal,
    key: IdempotencyKey,
    policy: IdempotencyPolicy,
    sku: SkuPath,
    body: Restock,
) -> Response:
    """Receive units; a retry with the same `Idempotency-Key` replays and adds none."""

    async def receive() -> StockOut:
        return StockOut.of(await catalog.restock(uow, sku, body.quantity))

    request = keyed(admin, key, {"sku": sku, **body.model_dump(mode="json")})
    return answer_response(await answer_once(uow, request, receive, policy=policy))


@router.get(
    "/{sku}/stock",
    response_model=StockOut,
    responses=problem_responses(*NEEDS_ADMIN, *TAKES_PARAMETERS, *USES_DATABASE, ProductNotFound),
)
async def get_stock(uow: UnitOfWorkDep, _: AdminPrincipal, sku: SkuPath) -> StockOut:
    return StockOut.of(await catalog.stock_of(uow, sku))
