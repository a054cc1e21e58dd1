"""A target that fails, stalls or is unhealthy: the gateway answers as an ALB would."""

from __future__ import annotations

import time

import pytest

from bazaar_common.testing.problems import expect_problem
from bazaar_common.testing.waiting import wait_until

from .conftest import FAST_HEALTH
from .targets import BROKEN_REPLIES, SLOW_SECONDS

pytestmark = pytest.mark.slow


async def test_502_when_the_target_stopped_listening(start_gateway, inventory, client):
    gateway = await start_gateway({"inventory": inventory.url})
    await inventory.stop()
    response = await client.get(gateway.url + "/inventory/products")
    expect_problem(response, 502, "bad-gateway")


@pytest.mark.parametrize("reply", ["reset", *BROKEN_REPLIES])
async def test_502_when_the_target_resets_or_answers_garbage(
    start_gateway, raw_target, client, reply
):
    gateway = await start_gateway({"inventory": raw_target.url})
    assert gateway.healthy == {"inventory"}
    response = await client.post(f"{gateway.url}/inventory/{reply}", json={"sku": "a"})
    expect_problem(response, 502, "bad-gateway")


async def test_504_when_the_target_is_slower_than_the_timeout(start_gateway, inventory, client):
    gateway = await start_gateway({"inventory": inventory.url}, idle_timeout_seconds=0.5)
    started = time.monotonic()
    response = await client.get(gateway.url + "/inventory/slow")
    elapsed = time.monotonic() - started
    expect_problem(response, 504, "gateway-timeout")
    assert 0.4 < elapsed < SLOW_SECONDS


async def test_503_while_unhealthy_and_back_when_healthy(start_gateway, inventory, orders, client):
    gateway = await start_gateway({"inventory": inventory.url, "orders": orders.url}, FAST_HEALTH)
    # FAST_HEALTH's short check timeout can miss a first check on a busy machine.
    await wait_until(lambda: gateway.healthy == {"inventory", "orders"}, within=5)
    assert gateway.healthy == {"inventory", "orders"}

    products = gateway.url + "/inventory/products"
    inventory.ready = False
    await wait_until(lambda: "inventory" not in gateway.healthy, within=5)
    await wait_until(lambda: _answers(client, products, 503), within=5)
    response = await client.get(gateway.url + "/inventory/products")
    body = expect_problem(response, 503, "service-unavailable")
    assert body["detail"] == "inventory has no healthy target."
    assert (await client.get(gateway.url + "/orders")).status_code == 200

    inventory.ready = True
    await wait_until(lambda: _answers(client, products, 200), within=5)
    # The checker reloads nginx first and then records the new state.
    await wait_until(lambda: gateway.healthy == {"inventory", "orders"}, within=5)


async def test_a_target_down_at_start_is_unhealthy_until_it_comes_up(
    start_gateway, inventory, client
):
    inventory.ready = False
    gateway = await start_gateway({"inventory": inventory.url}, FAST_HEALTH)
    assert gateway.healthy == frozenset()
    expect_problem(await client.get(gateway.url + "/inventory"), 503, "service-unavailable")
    inventory.ready = True
    await wait_until(lambda: "inventory" in gateway.healthy, within=5)
    await wait_until(lambda: _answers(client, gateway.url + "/inventory", 200), within=5)


async def _answers(client, url: str, status: int) -> bool:
    return (await client.get(url)).status_code == status
