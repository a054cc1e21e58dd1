"""Who may see what, across services, with real tokens over real HTTP (OWASP API1/API5)."""

from __future__ import annotations

from uuid import uuid4


async def test_customers_see_only_their_own_orders_and_payments(shop):
    sku = await shop.add_product(units=4)
    alice, mallory = shop.customer("alice-own"), shop.customer("mallory-snoop")
    order = (await shop.place(alice, {sku: 1})).json()
    await shop.settled(alice, order["id"])

    foreign = await shop.order(mallory, order["id"])
    missing = await shop.order(mallory, str(uuid4()))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json()["type"] == missing.json()["type"]
    assert foreign.headers["content-type"].startswith("application/problem+json")
    cancel = await shop.http.post(
        shop.url("orders", f"/orders/{order['id']}/cancel"), headers=mallory
    )
    assert cancel.status_code == 404
    assert await shop.payments_of(mallory, order["id"]) == []
    listed = await shop.http.get(shop.url("orders", "/orders"), headers=mallory)
    assert order["id"] not in [item["id"] for item in listed.json()["items"]]

    assert (await shop.order(shop.admin, order["id"])).status_code == 200
    assert len(await shop.payments_of(shop.admin, order["id"])) == 1


async def test_the_audit_trail_is_for_admins_only(shop):
    order_id = str(uuid4())
    path = f"/audit/orders/{order_id}/timeline"
    as_customer = await shop.http.get(shop.url("audit", path), headers=shop.customer("curious"))
    anonymous = await shop.http.get(shop.url("audit", path))
    assert (as_customer.status_code, anonymous.status_code) == (403, 401)
    events = await shop.http.get(
        shop.url("audit", "/audit/events"), params={"type": "OrderPlaced"}, headers=shop.admin
    )
    assert events.status_code == 200


async def test_one_key_one_order_and_keys_are_per_customer(shop):
    sku = await shop.add_product(units=5)
    alice, bob = shop.customer("alice-key"), shop.customer("bob-key")

    first = await shop.place(alice, {sku: 1}, key="shared-key")
    replay = await shop.place(alice, {sku: 1}, key="shared-key")
    other_body = await shop.place(alice, {sku: 2}, key="shared-key")
    bobs = await shop.place(bob, {sku: 1}, key="shared-key")

    assert (first.status_code, replay.status_code) == (201, 201)
    assert replay.json() == first.json()
    assert other_body.status_code == 422
    assert bobs.status_code == 201
    assert bobs.json()["id"] != first.json()["id"]
    await shop.settled(alice, first.json()["id"])
    await shop.settled(bob, bobs.json()["id"])
