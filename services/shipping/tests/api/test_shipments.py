"""Each customer reads the shipments of their own confirmed orders; admins read all."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from bazaar_contracts.orders import OrderConfirmed

SHIPMENTS = "/shipping/shipments"


@pytest.fixture
def confirm(deliver):
    """``await confirm(caller)``: an order of ``caller`` confirmed; returns its id."""

    async def confirmed(caller) -> UUID:
        order_id = uuid4()
        event = OrderConfirmed(
            order_id=order_id, customer_id=caller.subject, total_minor=1000, currency="EUR"
        )
        await deliver(event, source="bazaar.orders")
        return order_id

    return confirmed


async def get_ok(client, caller, path: str, **params) -> dict:
    response = await client.get(path, params=params, headers=caller.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_customer_reads_the_shipment_of_their_confirmed_order(client, confirm, alice):
    order_id = await confirm(alice)

    of_order = await get_ok(client, alice, f"/shipping/orders/{order_id}/shipment")
    by_id = await get_ok(client, alice, f"{SHIPMENTS}/{of_order['id']}")

    assert by_id == of_order
    assert (of_order["order_id"], of_order["customer_id"]) == (str(order_id), alice.subject)


async def test_another_customer_s_shipment_is_not_found_like_a_missing_one(
    client, confirm, alice, bob, expect_problem
):
    order_id = await confirm(alice)
    theirs = await get_ok(client, alice, f"/shipping/orders/{order_id}/shipment")

    missing = uuid4()
    for path, absent_path in [
        (f"/shipping/orders/{order_id}/shipment", f"/shipping/orders/{missing}/shipment"),
        (f"{SHIPMENTS}/{theirs['id']}", f"{SHIPMENTS}/{missing}"),
    ]:
        asked = await client.get(path, headers=bob.headers)
        absent = await client.get(absent_path, headers=bob.headers)

        expect_problem(asked, 404, "shipment-not-found")
        expect_problem(absent, 404, "shipment-not-found")
        assert asked.json().keys() == absent.json().keys()
        assert alice.subject not in asked.text


async def test_an_order_not_confirmed_has_no_shipment_yet(client, alice, expect_problem):
    response = await client.get(f"/shipping/orders/{uuid4()}/shipment", headers=alice.headers)

    expect_problem(response, 404, "shipment-not-found")


async def test_a_customer_lists_only_their_own_newest_first(client, confirm, alice, bob):
    first = await confirm(alice)
    await confirm(bob)
    second = await confirm(alice)

    page = await get_ok(client, alice, SHIPMENTS)

    assert [item["order_id"] for item in page["items"]] == [str(second), str(first)]
    assert page["next_cursor"] is None


async def test_an_admin_reads_everyone_s(client, confirm, ada, alice, bob):
    orders = {str(await confirm(caller)) for caller in (alice, bob)}

    assert {item["order_id"] for item in (await get_ok(client, ada, SHIPMENTS))["items"]} == orders
    for order_id in orders:
        await get_ok(client, ada, f"/shipping/orders/{order_id}/shipment")


@pytest.mark.parametrize("limit", [1, 2, 5])
async def test_pages_walk_every_shipment_once(client, confirm, alice, limit):
    made = [str(await confirm(alice)) for _ in range(5)]

    seen: list[str] = []
    cursor = None
    for _ in range(10):
        params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        page = await get_ok(client, alice, SHIPMENTS, **params)
        seen.extend(item["order_id"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break

    whole = await get_ok(client, alice, SHIPMENTS, limit=100)
    assert seen == [item["order_id"] for item in whole["items"]]
    assert sorted(seen) == sorted(made)
