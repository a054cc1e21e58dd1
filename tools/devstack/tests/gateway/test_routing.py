"""Requests reach the service whose catalog listener rule matches, as on the ALB."""

from __future__ import annotations

import pytest

from bazaar_common.testing.problems import expect_problem

pytestmark = pytest.mark.slow


async def test_exact_prefix_and_sub_paths_reach_their_service(
    start_gateway, inventory, orders, client
):
    gateway = await start_gateway({"inventory": inventory.url, "orders": orders.url})
    for path, service in [
        ("/inventory", "inventory"),
        ("/inventory/", "inventory"),
        ("/inventory/products?limit=2&after=x%2Fy", "inventory"),
        ("/orders/123/lines", "orders"),
    ]:
        response = await client.get(gateway.url + path)
        assert response.status_code == 200, (path, response.text)
        echoed = response.json()
        assert echoed["service"] == service
        assert echoed["path_qs"] == path


@pytest.mark.parametrize(
    "path", ["/", "/inventoryx", "/inventory-admin/x", "/Inventory", "/readyz", "/x/inventory"]
)
async def test_paths_no_rule_matches_get_the_fixed_404(start_gateway, inventory, client, path):
    gateway = await start_gateway({"inventory": inventory.url})
    response = await client.get(gateway.url + path)
    body = expect_problem(response, 404, "not-found")
    assert body["detail"] == "No route matches this path."
    assert inventory.peer_ports == []


async def test_a_catalog_service_without_a_target_answers_503(start_gateway, inventory, client):
    gateway = await start_gateway({"inventory": inventory.url})
    response = await client.post(gateway.url + "/payments/charges", json={})
    body = expect_problem(response, 503, "service-unavailable")
    assert "payments" in body["detail"]
    assert response.headers["retry-after"] == "5"


async def test_the_target_own_errors_pass_unchanged(start_gateway, inventory, client):
    gateway = await start_gateway({"inventory": inventory.url})
    response = await client.get(gateway.url + "/inventory/own-error")
    assert response.status_code == 503
    assert response.text == '{"type":"https://bazaar.dev/problems/own","status":503}'
    assert response.headers["retry-after"] == "7"
