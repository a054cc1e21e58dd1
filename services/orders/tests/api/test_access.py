"""Who sees and acts on which order: customers their own, admins all (OWASP API1, BOLA).

Another customer's order answers exactly as a missing one, so ids reveal nothing.
"""

from __future__ import annotations

from uuid import uuid4


def comparable(response, order_id: str, stand_in: str):
    """Status, content type and body, with the request id left out and one id swapped."""
    body = response.json()
    body.pop("request_id")
    text = str(body).replace(stand_in, order_id)
    return response.status_code, response.headers["content-type"], text


async def test_another_customers_order_looks_exactly_like_a_missing_one(
    api, alice, bob, expect_problem
):
    order = await api.placed(alice)
    missing = str(uuid4())

    theirs = await api.get(bob, order["id"])
    absent = await api.get(bob, missing)

    expect_problem(theirs, 404, "order-not-found")
    assert comparable(theirs, order["id"], order["id"]) == comparable(absent, order["id"], missing)
    assert len(theirs.content) == len(absent.content)


async def test_another_customer_cannot_cancel_an_order(api, alice, bob, db, expect_problem):
    order = await api.placed(alice)
    missing = str(uuid4())

    theirs = await api.cancel(bob, order["id"])
    absent = await api.cancel(bob, missing)

    expect_problem(theirs, 404, "order-not-found")
    assert comparable(theirs, order["id"], order["id"]) == comparable(absent, order["id"], missing)
    assert (await api.get(alice, order["id"])).json()["status"] == "PENDING"
    assert await db.outbox_types(order["id"]) == ["OrderPlaced", "ReserveStock"]


async def test_listings_show_each_customer_only_their_own(
    api, alice, bob, expect_problem, subject_of
):
    alices = [(await api.placed(alice))["id"] for _ in range(3)]
    bobs = [(await api.placed(bob))["id"] for _ in range(2)]

    assert sorted(await api.list_ids(alice)) == sorted(alices)
    assert sorted(await api.list_ids(bob, limit=1)) == sorted(bobs)
    assert sorted(await api.list_ids(bob, customer_id=subject_of("bob"))) == sorted(bobs)
    refused = await api.client.get(
        "/orders", params={"customer_id": subject_of("alice")}, headers=bob
    )
    expect_problem(refused, 403, "forbidden")
    assert not set(refused.text.split('"')) & set(alices)


async def test_an_admin_reads_every_order_and_filters_by_customer(
    api, alice, bob, admin, subject_of
):
    alices = (await api.placed(alice))["id"]
    bobs = (await api.placed(bob))["id"]

    assert (await api.get(admin, alices)).json()["customer_id"] == subject_of("alice")
    assert sorted(await api.list_ids(admin)) == sorted([alices, bobs])
    assert await api.list_ids(admin, customer_id=subject_of("bob")) == [bobs]
    assert await api.list_ids(admin, customer_id="nobody") == []


async def test_an_admin_may_cancel_a_customers_order(api, alice, admin):
    order = await api.placed(alice)
    cancelled = await api.cancel(admin, order["id"])
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "CANCELLED"


async def test_every_route_needs_a_token(api, alice, expect_problem):
    order = await api.placed(alice)
    for response in (
        await api.client.get(f"/orders/{order['id']}"),
        await api.client.get("/orders"),
        await api.client.post(f"/orders/{order['id']}/cancel"),
        await api.client.get(f"/orders/{order['id']}", headers={"Authorization": "Bearer x.y.z"}),
    ):
        expect_problem(response, 401)
