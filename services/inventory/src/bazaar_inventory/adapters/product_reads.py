"""The hot reads of the catalog, on the asyncpg read pool (``bazaar_common.db.read_pool``).

A product and a catalog page are read as plain rows and rendered to JSON by
the entrypoints (``entrypoints.product_rendering``); writes keep using
``ProductRepository`` in a unit of work.

Statements are written against ``tables`` and compiled once: the product
read at import, a page statement once per filter shape on first use (the
filters combine into ~100 shapes; each gets its own SQL, so the planner sees
only the conditions asked for). ``tests/integration/test_product_reads.py``
prepares every one on the migrated schema, so they cannot drift from it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from typing import Literal

from sqlalchemy import BigInteger, ColumnElement, Integer, String, bindparam, literal_column, select

from bazaar_common.db.read_pool import ReadPool, Row
from bazaar_common.db.read_statement import ReadStatement
from bazaar_inventory.adapters.product_repository import CatalogFilter
from bazaar_inventory.adapters.tables import products, stock

PRODUCT_COLUMNS = (
    products.c.sku,
    products.c.name,
    products.c.description,
    products.c.price_minor,
    products.c.currency,
    products.c.updated_at,
    stock.c.available,
)

PRODUCT_WITH_AVAILABILITY = ReadStatement.of(
    "inventory.product_with_availability",
    select(*PRODUCT_COLUMNS)
    .join(stock, stock.c.sku == products.c.sku)
    .where(products.c.sku == bindparam("sku", type_=String)),
)

InStock = Literal["any", "yes", "no"]
IN_STOCK: tuple[InStock, ...] = ("any", "yes", "no")
_IN_STOCK_OF: dict[bool | None, InStock] = {None: "any", True: "yes", False: "no"}


def escape_like(text: str) -> str:
    """``text`` matched literally inside an ILIKE pattern whose escape is a backslash."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@functools.cache
def page_statement(
    *,
    after: bool,
    name_contains: bool,
    currency: bool,
    min_price: bool,
    max_price: bool,
    in_stock: InStock,
) -> ReadStatement:
    """Products in sku order (keyset), with only the filters given."""
    conditions = []
    if after:
        conditions.append(products.c.sku > bindparam("after_sku", type_=String))
    if name_contains:
        pattern = bindparam("name_pattern", type_=String)
        conditions.append(products.c.name.ilike(pattern, escape="\\"))
    if currency:
        conditions.append(products.c.currency == bindparam("currency", type_=String))
    if min_price:
        conditions.append(products.c.price_minor >= bindparam("min_price", type_=BigInteger))
    if max_price:
        conditions.append(products.c.price_minor <= bindparam("max_price", type_=BigInteger))
    # Constants written into the SQL: a plain 0 would become a bound value.
    none: ColumnElement[int] = literal_column("0")
    if in_stock == "yes":
        conditions.append(stock.c.available > none)
    elif in_stock == "no":
        conditions.append(stock.c.available == none)
    flags = "".join(
        f"_{name}"
        for name, given in (
            ("after", after),
            ("name", name_contains),
            ("currency", currency),
            ("min", min_price),
            ("max", max_price),
        )
        if given
    )
    return ReadStatement.of(
        f"inventory.catalog_page{flags}_stock_{in_stock}",
        select(*PRODUCT_COLUMNS)
        .join(stock, stock.c.sku == products.c.sku)
        .where(*conditions)
        .order_by(products.c.sku)
        .limit(bindparam("limit", type_=Integer)),
    )


def every_page_statement() -> Iterator[ReadStatement]:
    """Each filter shape's statement (for the drift test)."""
    flags = (False, True)
    for after in flags:
        for name_contains in flags:
            for currency in flags:
                for min_price in flags:
                    for max_price in flags:
                        for in_stock in IN_STOCK:
                            yield page_statement(
                                after=after,
                                name_contains=name_contains,
                                currency=currency,
                                min_price=min_price,
                                max_price=max_price,
                                in_stock=in_stock,
                            )


async def product_with_availability(reads: ReadPool, sku: str) -> Row | None:
    found = await reads.fetch(PRODUCT_WITH_AVAILABILITY, sku=sku)
    return found[0] if found else None


async def catalog_page(
    reads: ReadPool, catalog_filter: CatalogFilter, *, after_sku: str | None, limit: int
) -> Sequence[Row]:
    """Up to ``limit`` products after ``after_sku`` that pass the filter, in sku order."""
    values: dict[str, object] = {"limit": limit}
    if after_sku is not None:
        values["after_sku"] = after_sku
    if catalog_filter.name_contains:
        values["name_pattern"] = f"%{escape_like(catalog_filter.name_contains)}%"
    if catalog_filter.currency is not None:
        values["currency"] = catalog_filter.currency
    if catalog_filter.min_price_minor is not None:
        values["min_price"] = catalog_filter.min_price_minor
    if catalog_filter.max_price_minor is not None:
        values["max_price"] = catalog_filter.max_price_minor
    statement = page_statement(
        after=after_sku is not None,
        name_contains="name_pattern" in values,
        currency="currency" in values,
        min_price="min_price" in values,
        max_price="max_price" in values,
        in_stock=_IN_STOCK_OF[catalog_filter.in_stock],
    )
    return await reads.fetch(statement, **values)
