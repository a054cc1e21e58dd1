"""kill -9 of the orders process at each saga step; after a restart the saga resumes.

The orders service kills itself with SIGKILL at a configured crash point
(``CRASH_POINT``, honoured only in local and test environments): no drain, no
shutdown code, as a crashed task. It is then started again without it.
"""

from __future__ import annotations

import asyncio

import pytest


async def crash_and_restart(shop, overrides):
    await asyncio.to_thread(shop.stack.restart, "orders", overrides)


async def restarted_after_crash(shop):
    exit_code = await asyncio.to_thread(shop.stack.services["orders"].wait_exit, 60)
    assert exit_code == -9, f"orders exited with {exit_code}, not by SIGKILL"
    await asyncio.to_thread(shop.stack.start, "orders")


@pytest.mark.parametrize("crash_point", ["on-stock-reserved", "on-payment-captured"])
async def test_a_crash_inside_a_saga_step_is_redelivered_and_the_order_confirms_once(
    shop, crash_point
):
    sku = await shop.add_product(units=3, price=900)
    frank = await shop.customer(f"frank-{crash_point}")
    await crash_and_restart(shop, {"CRASH_POINT": crash_point})

    placed = await shop.place(frank, {sku: 1})
    assert placed.status_code == 201, placed.text
    await restarted_after_crash(shop)

    settled = await shop.settled(frank, placed.json()["id"], within=60)
    assert settled["status"] == "CONFIRMED", settled
    payments = await shop.payments_of(frank, settled["id"])
    assert [(p["status"], p["amount_minor"]) for p in payments] == [("captured", 900)]


async def test_a_crash_after_placement_commits_answers_the_retry_with_the_same_order(shop):
    sku = await shop.add_product(units=3, price=400)
    grace = await shop.customer("grace-crash")
    await crash_and_restart(shop, {"CRASH_POINT": "after-order-placed"})

    lost = await shop.place(grace, {sku: 2}, key="grace-order-1")
    # The target died mid-request: the gateway answers as an ALB does.
    assert lost.status_code == 502, lost.text
    assert lost.headers["content-type"].startswith("application/problem+json")
    await restarted_after_crash(shop)

    retried = await shop.place(grace, {sku: 2}, key="grace-order-1")
    assert retried.status_code == 201, retried.text
    assert retried.headers.get("idempotent-replayed") == "true"
    settled = await shop.settled(grace, retried.json()["id"], within=60)
    assert settled["status"] == "CONFIRMED"
    listed = await shop.http.get(shop.url("orders", "/orders"), headers=grace)
    assert [order["id"] for order in listed.json()["items"]] == [settled["id"]]
