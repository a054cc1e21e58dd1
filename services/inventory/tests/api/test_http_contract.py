"""What every service answers the same way: health, readiness, unknown routes."""

from __future__ import annotations

import time

import pytest

from bazaar_common.testing.app_client import running_app_client
from bazaar_inventory.main import create_app


async def test_ready_when_the_database_answers_at_the_expected_revision(client, app):
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}}
    assert app.state.schema.head is not None


async def test_alive(client):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize(
    "path", ["/nope", "/inventory", "/inventory/nope", "/inventory/products/A/nope"]
)
async def test_an_unknown_route_is_a_404_problem(client, expect_problem, path):
    body = expect_problem(await client.get(path), 404, "not-found")
    assert body["instance"] == path


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("DELETE", "/inventory/products"),
        ("PUT", "/inventory/products/A-1"),
        ("GET", "/inventory/products/A-1/restock"),
        ("DELETE", "/inventory/reservations/00000000-0000-0000-0000-000000000001"),
        ("POST", "/readyz"),
    ],
)
async def test_a_wrong_method_is_a_405_problem(client, expect_problem, method, path):
    response = await client.request(method, path)
    expect_problem(response, 405, "method-not-allowed")
    # Starlette names the methods of the first route matching the path only.
    assert method not in response.headers["allow"].split(", ")


async def test_a_callers_request_id_is_echoed_and_a_bad_one_replaced(client, expect_problem):
    response = await client.get("/nope", headers={"X-Request-Id": "trace-123.abc"})
    assert expect_problem(response, 404)["request_id"] == "trace-123.abc"

    response = await client.get("/nope", headers={"X-Request-Id": "bad id\twith spaces"})
    assert expect_problem(response, 404)["request_id"] != "bad id\twith spaces"


@pytest.mark.parametrize("pool", ["engine", "read_pool"])
async def test_an_exhausted_pool_answers_503_quickly_and_stays_ready(
    settings, expect_problem, admin, pool
):
    tight = settings.model_copy(
        update={"db_pool_size": 1, "db_read_pool_size": 1, "db_pool_timeout_seconds": 0.5}
    )
    app = create_app(tight)
    async with running_app_client(app) as client:
        await client.post(
            "/inventory/products",
            json={"sku": "A-1", "name": "A", "price": {"amount_minor": 1, "currency": "EUR"}},
            headers={**admin, "Idempotency-Key": "create-A-1"},
        )
        # The stock read runs on the engine's pool, the catalog on the read pool.
        if pool == "engine":
            holding, path = app.state.engine.connect(), "/inventory/products/A-1/stock"
        else:
            holding, path = app.state.read_pool.connection(), "/inventory/products"
        async with holding:  # the pool's only connection
            started = time.monotonic()
            response = await client.get(path, headers=admin)
            expect_problem(response, 503, "database-unavailable")
            assert response.headers["retry-after"].isdigit()
            assert time.monotonic() - started < 3
            # Busy is not broken: readiness has its own connection and stays up,
            # so the load balancer keeps the task.
            assert (await client.get("/readyz")).status_code == 200
        assert (await client.get(path, headers=admin)).status_code == 200
        assert (await client.get("/readyz")).status_code == 200
