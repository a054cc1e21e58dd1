"""Each service tells an admin, through the gateway, how deep its queue and dead letters are."""

from __future__ import annotations

from tests.e2e.conftest import Shop

from bazaar_devstack.stack import Stack


async def test_every_consumer_reports_its_queue_and_dead_letters(shop: Shop, stack: Stack):
    for name, entry in stack.entries.items():
        answer = await shop.http.get(
            f"{stack.gateway_url}{entry.route.path_prefix}/ops/messaging", headers=shop.admin
        )
        assert answer.status_code == 200, (name, answer.text)
        body = answer.json()
        assert body["service"] == name
        if not entry.events.consumes:
            assert body["messaging"] is None
            continue
        queue, dead = body["messaging"]["queue"], body["messaging"]["dead_letters"]
        assert queue["name"] == f"{stack.prefix}-{name}"
        assert dead["name"] == f"{stack.prefix}-{name}-dlq"
        assert min(queue["waiting"], queue["in_flight"], dead["waiting"]) >= 0


async def test_only_admins_may_ask(shop: Shop, stack: Stack):
    url = f"{stack.gateway_url}/orders/ops/messaging"
    customer = await shop.customer("nosy-customer")
    assert (await shop.http.get(url, headers=customer)).status_code == 403
    anonymous = await shop.http.get(url)
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == "application/problem+json"
