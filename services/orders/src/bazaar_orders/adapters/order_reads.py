"""The hot reads of orders, on the service's asyncpg read pool (``bazaar_common.db.read_pool``).

What the routes answer most (an order by id, a page of orders) is read here
as plain rows, with no domain object in between: the entrypoints render the
rows to JSON (``entrypoints.order_rendering``). Writes and the saga keep
using ``OrderRepository`` in a unit of work.

Each statement is written against ``tables`` and compiled once, at import;
``tests/integration/test_order_reads.py`` prepares every one of them on the
migrated schema, so a table and its statements cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import DateTime, Integer, String, Uuid, bindparam, select, tuple_

from bazaar_common.db.read_pool import ReadPool, Row
from bazaar_common.db.read_statement import ReadStatement
from bazaar_orders.adapters.order_repository import PagePosition
from bazaar_orders.adapters.tables import order_lines, orders

# What a customer sees of an order: never the card token or the saga's bookkeeping.
ORDER_COLUMNS = (
    orders.c.id,
    orders.c.customer_id,
    orders.c.status,
    orders.c.step,
    orders.c.cancel_reason,
    orders.c.total_minor,
    orders.c.currency,
    orders.c.created_at,
    orders.c.updated_at,
)
LINE_COLUMNS = (order_lines.c.sku, order_lines.c.quantity, order_lines.c.unit_price_minor)

# One round trip: the order joined with its lines (an order has at least one).
ORDER_WITH_LINES = ReadStatement.of(
    "orders.order_with_lines",
    select(*ORDER_COLUMNS, *LINE_COLUMNS)
    .join(order_lines, order_lines.c.order_id == orders.c.id)
    .where(orders.c.id == bindparam("order_id", type_=Uuid))
    .order_by(order_lines.c.position),
)


def _page_statement(*, of_customer: bool, after: bool) -> ReadStatement:
    """Newest first (keyset); a statement per filter shape, so each keeps its index plan."""
    conditions = []
    if of_customer:
        conditions.append(orders.c.customer_id == bindparam("customer_id", type_=String))
    if after:
        conditions.append(
            tuple_(orders.c.created_at, orders.c.id)
            < tuple_(
                bindparam("after_created_at", type_=DateTime(timezone=True)),
                bindparam("after_id", type_=Uuid),
            )
        )
    name = f"orders.page{'_of_customer' if of_customer else ''}{'_after' if after else ''}"
    page = (
        select(*ORDER_COLUMNS)
        .where(*conditions)
        .order_by(orders.c.created_at.desc(), orders.c.id.desc())
        .limit(bindparam("limit", type_=Integer))
        .subquery("page")
    )
    # One round trip: the page's orders joined with their lines, in page order.
    return ReadStatement.of(
        name,
        select(*page.c, *LINE_COLUMNS)
        .join(order_lines, order_lines.c.order_id == page.c.id)
        .order_by(page.c.created_at.desc(), page.c.id.desc(), order_lines.c.position),
    )


PAGES = {
    (of_customer, after): _page_statement(of_customer=of_customer, after=after)
    for of_customer in (False, True)
    for after in (False, True)
}
STATEMENTS = (ORDER_WITH_LINES, *PAGES.values())


async def order_with_lines(reads: ReadPool, order_id: UUID) -> Sequence[Row]:
    """The order's columns repeated on each of its lines, in line order; none if no such order."""
    return await reads.fetch(ORDER_WITH_LINES, order_id=order_id)


async def order_page(
    reads: ReadPool, *, customer_id: str | None, after: PagePosition | None, limit: int
) -> list[list[Row]]:
    """Up to ``limit`` orders newest first, each as ``order_with_lines`` gives one."""
    statement = PAGES[(customer_id is not None, after is not None)]
    values: dict[str, object] = {"limit": limit}
    if customer_id is not None:
        values["customer_id"] = customer_id
    if after is not None:
        values["after_created_at"] = after.created_at
        values["after_id"] = after.order_id
    found: list[list[Row]] = []
    for row in await reads.fetch(statement, **values):
        if found and found[-1][0]["id"] == row["id"]:
            found[-1].append(row)
        else:
            found.append([row])
    return found
