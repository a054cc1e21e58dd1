"""The migrated schema is the tables' schema, and its constraints hold the invariants."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.exc import IntegrityError

from bazaar_orders.adapters.tables import metadata


async def test_migrations_build_exactly_the_declared_tables(app):
    async with app.state.engine.connect() as connection:
        differences = await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), metadata)
        )
    assert differences == []


async def test_the_sweepers_and_the_listings_indexes_exist(db):
    names = {row["indexname"] for row in await db.rows("SELECT indexname FROM pg_indexes")}
    assert {"ix_orders_pending_step_started", "ix_orders_customer_created"} <= names
    definition = await db.scalar(
        "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_orders_pending_step_started'"
    )
    assert "WHERE ((status)::text = 'PENDING'::text)" in definition


@pytest.mark.parametrize(
    "change",
    [
        "status = 'SHIPPED'",
        "status = 'CONFIRMED'",  # a terminal order still in a step
        "status = 'CANCELLED', step = NULL, step_started_at = NULL",  # without a reason
        "cancel_reason = 'step-timeout'",  # a reason on a pending order
        "step = 'teleporting'",
        "total_minor = -1",
        "currency = 'eur'",
        "capture_requested = true, stock_requested = false",
    ],
)
async def test_the_database_refuses_orders_that_break_the_state_machine(placed_order, db, change):
    order = await placed_order()
    with pytest.raises(IntegrityError):
        await db.execute(f"UPDATE orders SET {change} WHERE id = :id", id=order.id)  # noqa: S608


async def test_nothing_leaves_a_terminal_state_in_the_history(placed_order, db):
    order = await placed_order()
    with pytest.raises(IntegrityError):
        await db.execute(
            "INSERT INTO order_transitions (order_id, seq, from_status, to_status, reason, at) "
            "VALUES (:id, 2, 'CONFIRMED', 'PENDING', 'bug', now())",
            id=order.id,
        )
