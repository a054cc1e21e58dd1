"""Every query on products and their stock."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import RowMapping, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from bazaar_inventory.adapters.tables import products, stock
from bazaar_inventory.domain.model import Money, Product, Stock


@dataclass(frozen=True, slots=True)
class CatalogFilter:
    name_contains: str | None = None
    currency: str | None = None
    min_price_minor: int | None = None
    max_price_minor: int | None = None
    in_stock: bool | None = None


def _product_from_row(row: RowMapping) -> Product:
    return Product(
        sku=row["sku"],
        name=row["name"],
        description=row["description"],
        price=Money(row["price_minor"], row["currency"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _stock_from_row(row: RowMapping) -> Stock:
    return Stock(row["sku"], row["available"], row["reserved"], row["sold"], row["received"])


_CATALOG_COLUMNS = (*products.c, stock.c.available)


class ProductRepository:
    """``written(sku)`` is told of each product or stock row this repository writes."""

    def __init__(
        self, connection: AsyncConnection, *, written: Callable[[str], None] = lambda sku: None
    ) -> None:
        self._connection = connection
        self._written = written

    async def add(self, product: Product) -> bool:
        """Insert a product with no stock; False when the sku is taken."""
        inserted = await self._connection.execute(
            insert(products)
            .values(
                sku=product.sku,
                name=product.name,
                description=product.description,
                price_minor=product.price.amount_minor,
                currency=product.price.currency,
                created_at=product.created_at,
                updated_at=product.updated_at,
            )
            .on_conflict_do_nothing(index_elements=[products.c.sku])
            .returning(products.c.sku)
        )
        if inserted.first() is None:
            return False
        self._written(product.sku)
        await self._connection.execute(
            stock.insert().values(sku=product.sku, available=0, reserved=0, sold=0, received=0)
        )
        return True

    async def get(self, sku: str, *, for_update: bool = False) -> Product | None:
        query = select(products).where(products.c.sku == sku)
        if for_update:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).mappings().first()
        return None if row is None else _product_from_row(row)

    async def update(self, product: Product) -> None:
        await self._connection.execute(
            products.update()
            .where(products.c.sku == product.sku)
            .values(
                name=product.name,
                description=product.description,
                price_minor=product.price.amount_minor,
                currency=product.price.currency,
                updated_at=product.updated_at,
            )
        )
        self._written(product.sku)

    async def get_with_availability(self, sku: str) -> tuple[Product, int] | None:
        query = (
            select(*_CATALOG_COLUMNS)
            .join(stock, stock.c.sku == products.c.sku)
            .where(products.c.sku == sku)
        )
        row = (await self._connection.execute(query)).mappings().first()
        return None if row is None else (_product_from_row(row), row["available"])

    async def lock_stock(self, skus: Iterable[str]) -> dict[str, Stock]:
        """Stock rows locked for this transaction, always in sku order.

        Locking in one global order means two transactions that need the same
        skus queue behind each other instead of deadlocking.
        """
        query = (
            select(stock)
            .where(stock.c.sku.in_(sorted(set(skus))))
            .order_by(stock.c.sku)
            .with_for_update()
        )
        rows = (await self._connection.execute(query)).mappings().all()
        return {row["sku"]: _stock_from_row(row) for row in rows}

    async def get_stock(self, sku: str) -> Stock | None:
        row = (
            (await self._connection.execute(select(stock).where(stock.c.sku == sku)))
            .mappings()
            .first()
        )
        return None if row is None else _stock_from_row(row)

    async def save_stock(self, changed: Iterable[Stock]) -> None:
        for item in changed:
            await self._connection.execute(
                stock.update()
                .where(stock.c.sku == item.sku)
                .values(
                    available=item.available,
                    reserved=item.reserved,
                    sold=item.sold,
                    received=item.received,
                )
            )
            self._written(item.sku)
