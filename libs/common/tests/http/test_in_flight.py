"""Past MAX_IN_FLIGHT_REQUESTS at once, a request is refused at once with 503 and Retry-After."""

from __future__ import annotations

import asyncio
import time

import httpx
from fastapi import FastAPI

from bazaar_common.app import install_http_runtime
from bazaar_common.http import health

LIMIT = 2


def blocking_app(release: asyncio.Event, entered: asyncio.Semaphore) -> FastAPI:
    app = FastAPI()
    install_http_runtime(app, max_body_bytes=1_024, access_log=False, max_in_flight=LIMIT)
    app.include_router(health.router)

    @app.get("/slow")
    async def slow() -> dict[str, str]:
        entered.release()
        await release.wait()
        return {"done": "yes"}

    return app


async def hold_every_slot(
    client: httpx.AsyncClient, entered: asyncio.Semaphore
) -> list[asyncio.Task[httpx.Response]]:
    """LIMIT requests in flight, each inside its route, waiting to be released."""
    held = [asyncio.create_task(client.get("/slow")) for _ in range(LIMIT)]
    for _ in range(LIMIT):
        await asyncio.wait_for(entered.acquire(), 5)
    return held


async def test_the_request_past_the_limit_gets_503_at_once_and_the_others_finish():
    release, entered = asyncio.Event(), asyncio.Semaphore(0)
    app = blocking_app(release, entered)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        held = await hold_every_slot(client, entered)

        started = time.perf_counter()
        refused = await client.get("/slow")
        waited = time.perf_counter() - started

        release.set()
        served = await asyncio.gather(*held)
        after = await client.get("/slow")

    assert refused.status_code == 503
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.headers["retry-after"] == "1"
    assert refused.json()["type"].endswith("/overloaded")
    assert refused.headers["x-request-id"]
    assert waited < 1.0, "refused without waiting for a slot"
    assert [response.status_code for response in served] == [200] * LIMIT
    assert after.status_code == 200, "the slots are given back"


async def test_health_routes_are_answered_even_when_full():
    release, entered = asyncio.Event(), asyncio.Semaphore(0)
    app = blocking_app(release, entered)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        held = await hold_every_slot(client, entered)
        alive = await client.get("/healthz")
        release.set()
        await asyncio.gather(*held)
    assert alive.status_code == 200


async def test_a_failing_request_gives_its_slot_back():
    app = FastAPI()
    install_http_runtime(app, max_body_bytes=1_024, access_log=False, max_in_flight=1)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("broken")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        statuses = [(await client.get("/boom")).status_code for _ in range(3)]
    assert statuses == [500, 500, 500]
