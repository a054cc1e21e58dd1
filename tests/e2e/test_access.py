"""Who may see what, across services, with real tokens over real HTTP (OWASP API1/API5)."""

from __future__ import annotations

import asyncio
from uuid import uuid4


async def test_customers_see_only_their_own_orders_and_payments(shop):
    sku = await shop.add_product(units=4)
    alice, mallory = await shop.customer("alice-own"), await shop.customer("mallory-snoop")
    order = (await shop.place(alice, {sku: 1})).json()
    await shop.settled(alice, order["id"])

    foreign = await shop.order(mallory, order["id"])
    missing = await shop.order(mallory, str(uuid4()))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json()["type"] == missing.json()["type"]
    assert foreign.headers["content-type"].startswith("application/problem+json")
    cancel = await shop.http.post(
        shop.url("orders", f"/orders/{order['id']}/cancel"),
        headers={**mallory, "Idempotency-Key": "cancel-1"},
    )
    assert cancel.status_code == 404
    assert await shop.payments_of(mallory, order["id"]) == []
    (payment,) = await shop.payments_of(alice, order["id"])
    foreign_payment = await shop.http.get(
        shop.url("payments", f"/payments/{payment['id']}"), headers=mallory
    )
    missing_payment = await shop.http.get(
        shop.url("payments", f"/payments/{uuid4()}"), headers=mallory
    )
    assert foreign_payment.status_code == missing_payment.status_code == 404
    assert foreign_payment.json()["type"] == missing_payment.json()["type"]
    listed = await shop.http.get(shop.url("orders", "/orders"), headers=mallory)
    assert order["id"] not in [item["id"] for item in listed.json()["items"]]

    assert (await shop.order(shop.admin, order["id"])).status_code == 200
    assert len(await shop.payments_of(shop.admin, order["id"])) == 1


async def test_the_audit_trail_is_for_admins_only(shop):
    order_id = str(uuid4())
    path = f"/audit/orders/{order_id}/timeline"
    as_customer = await shop.http.get(
        shop.url("audit", path), headers=await shop.customer("curious")
    )
    anonymous = await shop.http.get(shop.url("audit", path))
    assert (as_customer.status_code, anonymous.status_code) == (403, 401)
    events = await shop.http.get(
        shop.url("audit", "/audit/events"), params={"type": "OrderPlaced"}, headers=shop.admin
    )
    assert events.status_code == 200


async def test_one_key_one_order_and_keys_are_per_customer(shop):
    sku = await shop.add_product(units=5)
    alice, bob = await shop.customer("alice-key"), await shop.customer("bob-key")

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


async def test_two_requests_racing_with_one_key_make_one_order(shop):
    sku = await shop.add_product(units=5)
    heidi = await shop.customer("heidi-race")

    answers = await asyncio.gather(*(shop.place(heidi, {sku: 1}, key="race-key") for _ in range(2)))

    statuses = sorted(answer.status_code for answer in answers)
    assert statuses in ([201, 201], [201, 409]), [a.text for a in answers]
    created = [answer.json()["id"] for answer in answers if answer.status_code == 201]
    assert len(set(created)) == 1
    refused = [answer for answer in answers if answer.status_code == 409]
    for answer in refused:
        assert answer.headers["retry-after"]
        assert answer.json()["type"].endswith("/idempotency-key-in-use")
    await shop.settled(heidi, created[0])
