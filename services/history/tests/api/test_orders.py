"""Each customer reads their own order history, newest first; admins read and filter all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from bazaar_common.testing.openapi import openapi_document, response_validator

ORDERS = "/history/orders"
T0 = datetime(2030, 1, 1, 12, 0, 0, 123_456, tzinfo=UTC)


async def get_ok(client, caller, path: str, **params) -> dict:
    response = await client.get(path, params=params, headers=caller.headers)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def order(tell, stories):
    """``await order(caller, flow="confirmed", minutes=0)``: an order told; its id.

    Each order starts ``minutes`` after T0, so the newest is the one with most.
    """

    async def told(caller, flow: str = "confirmed", minutes: int = 0) -> UUID:
        order_id = uuid4()
        at = T0 + timedelta(minutes=minutes)
        await tell(getattr(stories, flow)(order_id, caller.subject, at))
        return order_id

    return told


async def test_a_customer_reads_their_confirmed_order_with_its_payment_and_shipment(
    client, order, stories, alice
):
    order_id = await order(alice)

    body = await get_ok(client, alice, f"{ORDERS}/{order_id}")

    assert body == {
        "order_id": str(order_id),
        "customer_id": alice.subject,
        "state": "CONFIRMED",
        "lines": [
            {"sku": "MUG-1", "quantity": 2, "unit_price_minor": 500},
            {"sku": "TEAPOT-2", "quantity": 1, "unit_price_minor": 2500},
        ],
        "total_minor": 3500,
        "currency": "EUR",
        "first_event_at": "2030-01-01T12:00:00.123456Z",
        "placed_at": "2030-01-01T12:00:00.123456Z",
        "confirmed_at": "2030-01-01T12:00:02.123456Z",
        "cancelled_at": None,
        "cancel_reason": None,
        "payment": {
            "state": "captured",
            "payment_id": str(stories.payment_id(order_id)),
            "amount_minor": 3500,
            "decline_reason": None,
        },
        "shipment": {
            "shipment_id": str(stories.shipment_id(order_id)),
            "created_at": "2030-01-01T12:00:03.123456Z",
        },
    }


async def test_a_declined_order_reads_cancelled_with_both_reasons(client, order, alice):
    order_id = await order(alice, "declined")

    body = await get_ok(client, alice, f"{ORDERS}/{order_id}")

    assert (body["state"], body["cancel_reason"], body["shipment"]) == (
        "CANCELLED",
        "payment-declined",
        None,
    )
    assert body["payment"] == {
        "state": "declined",
        "payment_id": None,
        "amount_minor": None,
        "decline_reason": "card-declined",
    }


async def test_every_body_is_what_the_document_declares(app, client, order, alice):
    document = openapi_document(app)
    one = response_validator(document, "/history/orders/{order_id}", "get")
    page = response_validator(document, "/history/orders", "get")
    for flow in ("confirmed", "declined", "out_of_stock", "refunded", "voided"):
        await order(alice, flow)

    listed = await get_ok(client, alice, ORDERS)
    page.validate(listed)
    for item in listed["items"]:
        one.validate(await get_ok(client, alice, f"{ORDERS}/{item['order_id']}"))
    assert len(listed["items"]) == 5


async def test_another_customer_s_order_is_not_found_like_a_missing_one(
    client, order, alice, bob, expect_problem
):
    theirs = await order(alice)

    asked = await client.get(f"{ORDERS}/{theirs}", headers=bob.headers)
    absent = await client.get(f"{ORDERS}/{uuid4()}", headers=bob.headers)

    expect_problem(asked, 404, "order-not-found")
    expect_problem(absent, 404, "order-not-found")
    assert asked.json().keys() == absent.json().keys()
    assert alice.subject not in asked.text


async def test_an_admin_reads_anyone_s_order(client, order, alice, ada):
    order_id = await order(alice, "refunded")

    body = await get_ok(client, ada, f"{ORDERS}/{order_id}")

    assert (body["customer_id"], body["state"], body["payment"]["state"]) == (
        alice.subject,
        "CANCELLED",
        "refunded",
    )


async def test_a_row_no_event_has_named_a_customer_for_is_for_admins_only(
    client, deliver, stories, alice, ada, expect_problem
):
    order_id = uuid4()
    await deliver(stories.envelope(stories.captured(order_id), T0))

    expect_problem(await client.get(f"{ORDERS}/{order_id}", headers=alice.headers), 404)
    body = await get_ok(client, ada, f"{ORDERS}/{order_id}")
    assert (body["customer_id"], body["state"], body["lines"]) == (None, "PENDING", None)
    assert body["payment"]["state"] == "captured"
    assert (await get_ok(client, alice, ORDERS))["items"] == []


async def test_a_customer_lists_only_their_own_newest_first(client, order, alice, bob):
    first = await order(alice, minutes=1)
    await order(bob, minutes=2)
    second = await order(alice, "declined", minutes=3)

    page = await get_ok(client, alice, ORDERS)

    assert [item["order_id"] for item in page["items"]] == [str(second), str(first)]
    assert page["next_cursor"] is None


async def test_a_customer_may_name_themselves_but_no_one_else(
    client, order, alice, bob, expect_problem
):
    mine = await order(alice)

    own = await get_ok(client, alice, ORDERS, customer_id=alice.subject)
    other = await client.get(ORDERS, params={"customer_id": bob.subject}, headers=alice.headers)

    assert [item["order_id"] for item in own["items"]] == [str(mine)]
    expect_problem(other, 403, "forbidden")


async def test_an_admin_lists_everyone_s_and_filters_by_customer_and_state(
    client, order, alice, bob, ada
):
    confirmed = await order(alice, "confirmed", minutes=1)
    cancelled = await order(alice, "out_of_stock", minutes=2)
    theirs = await order(bob, "confirmed", minutes=3)

    everyone = await get_ok(client, ada, ORDERS)
    alices = await get_ok(client, ada, ORDERS, customer_id=alice.subject)
    confirmed_ones = await get_ok(client, ada, ORDERS, state="CONFIRMED")
    alices_confirmed = await get_ok(
        client, ada, ORDERS, customer_id=alice.subject, state="CONFIRMED"
    )

    def ids(page):
        return [item["order_id"] for item in page["items"]]

    assert ids(everyone) == [str(theirs), str(cancelled), str(confirmed)]
    assert ids(alices) == [str(cancelled), str(confirmed)]
    assert ids(confirmed_ones) == [str(theirs), str(confirmed)]
    assert ids(alices_confirmed) == [str(confirmed)]


async def test_a_customer_filters_their_own_by_state(client, order, alice):
    await order(alice, "confirmed", minutes=1)
    cancelled = await order(alice, "voided", minutes=2)

    page = await get_ok(client, alice, ORDERS, state="CANCELLED")

    assert [item["order_id"] for item in page["items"]] == [str(cancelled)]


@pytest.mark.parametrize("limit", [1, 2, 5])
async def test_pages_walk_every_order_once(client, order, alice, limit):
    # Two orders at each time: the order id breaks the tie.
    made = [str(await order(alice, minutes=minute // 2)) for minute in range(5)]

    seen: list[str] = []
    cursor = None
    for _ in range(10):
        params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        page = await get_ok(client, alice, ORDERS, **params)
        seen.extend(item["order_id"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break

    whole = await get_ok(client, alice, ORDERS, limit=100)
    assert seen == [item["order_id"] for item in whole["items"]]
    assert sorted(seen) == sorted(made)
