"""The sweeper: overdue orders are cancelled with their compensations, expired keys purged.

Time is the test's: the use cases take a clock. The restart test uses the
real clock and a real app, with a step timeout short enough to watch.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import create_async_engine

from bazaar_common.testing.app_client import running_app_client
from bazaar_common.testing.ports import free_port
from bazaar_common.testing.waiting import wait_until
from bazaar_contracts.fields import StockLine
from bazaar_contracts.inventory import StockReserved
from bazaar_orders.main import create_app
from bazaar_orders.service_layer.sweeper import Sweeper, sweep
from bazaar_orders.service_layer.unit_of_work import OrdersUnitOfWork

TIMEOUT = timedelta(seconds=30)
T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def at(seconds: float):
    return lambda: T0 + timedelta(seconds=seconds)


async def status_of(new_uow, order_id):
    async with new_uow() as uow:
        order = await uow.orders.get(order_id)
    return order.status.value, None if order.cancel_reason is None else order.cancel_reason.value


async def test_an_order_stuck_reserving_is_cancelled_and_its_stock_released(
    placed_order, new_uow, db
):
    order = await placed_order(clock=at(0))

    early = await sweep(new_uow, step_timeout=TIMEOUT, clock=at(30))
    assert early.cancelled == 0
    assert await status_of(new_uow, order.id) == ("PENDING", None)

    late = await sweep(new_uow, step_timeout=TIMEOUT, clock=at(31))
    assert late.cancelled == 1
    assert await status_of(new_uow, order.id) == ("CANCELLED", "step-timeout")
    assert (await db.outbox_types(order.id))[2:] == ["ReleaseStock", "OrderCancelled"]
    (last,) = (await db.transitions(order.id))[-1:]
    assert (last["reason"], last["cause_event_id"]) == ("step-timeout", None)

    again = await sweep(new_uow, step_timeout=TIMEOUT, clock=at(1_000))
    assert again.cancelled == 0


async def test_an_order_stuck_paying_is_refunded_and_released(placed_order, deliver, new_uow, db):
    order = await placed_order(clock=at(0))
    await deliver(StockReserved(order_id=order.id, lines=(StockLine(sku="MUG-1", quantity=2),)))
    # The payment step started at the reply, now: its own timeout counts from then.
    assert (await sweep(new_uow, step_timeout=TIMEOUT)).cancelled == 0
    swept = await sweep(
        new_uow, step_timeout=TIMEOUT, clock=lambda: datetime.now(UTC) + timedelta(seconds=31)
    )
    assert swept.cancelled == 1
    assert (await db.outbox_types(order.id))[3:] == [
        "RefundPayment",
        "ReleaseStock",
        "OrderCancelled",
    ]


async def test_each_sweep_is_bounded_in_batches(placed_order, new_uow):
    for _ in range(5):
        await placed_order(clock=at(0))
    first = await sweep(new_uow, step_timeout=TIMEOUT, clock=at(60), batch_size=2, max_batches=2)
    assert first.cancelled == 4
    second = await sweep(new_uow, step_timeout=TIMEOUT, clock=at(60), batch_size=2, max_batches=2)
    assert second.cancelled == 1


async def test_an_order_locked_by_a_reply_is_left_for_the_next_sweep(placed_order, new_uow):
    busy = await placed_order(clock=at(0))
    free = await placed_order(clock=at(0))
    async with new_uow() as handling:
        await handling.orders.get(busy.id, for_update=True)
        swept = await sweep(new_uow, step_timeout=TIMEOUT, clock=at(60))
    assert swept.cancelled == 1
    assert await status_of(new_uow, free.id) == ("CANCELLED", "step-timeout")
    assert await status_of(new_uow, busy.id) == ("PENDING", None)
    assert (await sweep(new_uow, step_timeout=TIMEOUT, clock=at(60))).cancelled == 1


async def test_expired_keys_are_purged_and_live_ones_kept(place, make_command, new_uow, db):
    await place(make_command(key="old"), clock=at(0))
    await place(make_command(key="new"), clock=at(3_600))
    # A claim whose lease is still live is kept even past its expiry.
    await db.execute(
        "INSERT INTO idempotency_keys (customer_id, key, fingerprint, state, lease_token, "
        "lease_expires_at, created_at, expires_at) VALUES ('alice', 'running', 'f', "
        "'in-progress', gen_random_uuid(), :lease, :t, :t)",
        lease=T0 + timedelta(days=2),
        t=T0,
    )
    swept = await sweep(new_uow, step_timeout=TIMEOUT, clock=at(24 * 3_600 + 1))
    assert swept.purged_keys == 1
    keys = await db.rows("SELECT key FROM idempotency_keys ORDER BY key")
    assert [row["key"] for row in keys] == ["new", "running"]
    assert await db.count("orders") == 2  # the orders stay


async def test_the_sweeper_keeps_running_through_database_errors():
    engine = create_async_engine(f"postgresql+asyncpg://nobody@127.0.0.1:{free_port()}/none")
    sweeper = Sweeper(lambda: OrdersUnitOfWork(engine), step_timeout=TIMEOUT, interval_seconds=0.02)
    task = asyncio.create_task(sweeper.run())
    try:
        await wait_until(lambda: sweeper.sweeps >= 3, within=5)
        assert not task.done()
    finally:
        sweeper.stop()
        async with asyncio.timeout(1):
            await task
        await engine.dispose()


async def test_after_a_restart_the_new_app_cancels_what_the_old_one_left(
    settings_for, alice, db, new_uow
):
    first = create_app(settings_for())
    async with running_app_client(first) as client:
        placed = await client.post(
            "/orders",
            json={"lines": [{"sku": "MUG-1", "quantity": 1}]},
            headers={**alice, "Idempotency-Key": "before-restart"},
        )
        assert placed.status_code == 201, placed.text
    order_id = placed.json()["id"]
    assert await status_of(new_uow, order_id) == ("PENDING", None)

    restarted = create_app(
        settings_for(saga_step_timeout_seconds=0.3, saga_sweep_interval_seconds=0.05)
    )
    async with running_app_client(restarted):
        await wait_until(
            lambda: status_of_is_cancelled(new_uow, order_id), within=10, interval=0.05
        )
        stopping = time.monotonic()
    assert time.monotonic() - stopping < 2.0, "the sweeper must stop promptly"
    assert (await db.outbox_types(order_id))[2:] == ["ReleaseStock", "OrderCancelled"]


async def status_of_is_cancelled(new_uow, order_id) -> bool:
    return (await status_of(new_uow, order_id)) == ("CANCELLED", "step-timeout")
