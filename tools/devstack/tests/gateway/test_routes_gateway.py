"""A gateway configured from a routes file only: real nginx, real targets, no catalog."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import sys
from collections.abc import AsyncIterator

import httpx
import pytest

from bazaar_common.testing.ports import free_port
from bazaar_common.testing.problems import expect_problem
from bazaar_common.testing.waiting import wait_until
from bazaar_devstack.gateway.routes_file import RoutesFileError, read_routes
from bazaar_devstack.gateway.runner import Gateway
from bazaar_devstack.gateway.settings import GatewaySettings

from .conftest import STEADY_HEALTH
from .targets import EchoTarget

pytestmark = pytest.mark.slow

# Two results in a row: one probe slowed by this test's busy event loop (the
# targets share it) must not flap the route.
FAST_CHECK = {
    "interval_seconds": 0.2,
    "timeout_seconds": 0.2,
    "healthy_threshold": 2,
    "unhealthy_threshold": 2,
}


@pytest.fixture
async def shop() -> AsyncIterator[EchoTarget]:
    target = await EchoTarget("shop").start()
    yield target
    await target.stop()


@pytest.fixture
async def specials() -> AsyncIterator[EchoTarget]:
    target = await EchoTarget("specials").start()
    yield target
    await target.stop()


def _routes(shop: EchoTarget, specials: EchoTarget, down: str) -> dict[str, object]:
    # Not in priority order: the gateway, like an ALB, orders rules itself.
    return {
        "routes": [
            {
                "name": "shop",
                "priority": 20,
                "path_patterns": ["/shop", "/shop/*"],
                "target": shop.url,
                "health_path": "/readyz",
            },
            {
                "name": "specials",
                "priority": 10,
                "path_patterns": ["/shop/specials/*"],
                "target": specials.url,
                "health_path": "/readyz",
                # Its own target group's check, fast; the gateway's default is slow.
                "health_check": FAST_CHECK,
            },
            {
                "name": "sick",
                "priority": 30,
                "path_patterns": ["/sick/*"],
                "target": down,
                "health_path": "/readyz",
            },
            {
                "name": "paused",
                "priority": 40,
                "path_patterns": ["/paused", "/paused/*"],
                "target": None,
                "health_path": "/readyz",
            },
        ]
    }


async def test_the_command_serves_a_routes_file_by_priority_with_404_and_503(
    shop, specials, tmp_path
):
    routes = tmp_path / "routes.json"
    nothing_listens = f"http://127.0.0.1:{free_port()}"
    routes.write_text(json.dumps(_routes(shop, specials, nothing_listens)))
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bazaar_devstack.gateway",
        f"--routes={routes}",
        f"--port={port}",
        f"--run-dir={tmp_path / 'run'}",
        "--health-interval=60",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    limits = httpx.Limits(max_keepalive_connections=0)  # see conftest's client
    try:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}", timeout=5, limits=limits
        ) as client:
            await wait_until(lambda: _answers(client, "/shop", 200), within=15)

            assert await _served_by(client, "/shop/specials/today") == "specials"  # 10 before 20
            assert await _served_by(client, "/shop/specials") == "shop"  # only /shop/* matches
            assert await _served_by(client, "/shop/cart") == "shop"
            for path in ["/", "/shopping", "/specials/today", "/sick"]:
                body = expect_problem(await client.get(path), 404, "not-found")
                assert body["detail"] == "No route matches this path."
            response = await client.get("/sick/x")
            body = expect_problem(response, 503, "service-unavailable")
            assert body["detail"] == "sick has no healthy target."
            assert response.headers["retry-after"] == "5"
            body = expect_problem(await client.get("/paused/x"), 503, "service-unavailable")
            assert body["detail"] == "paused has no target."
        process.send_signal(signal.SIGINT)
        async with asyncio.timeout(15):
            _, stderr = await process.communicate()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    output = stderr.decode()
    assert process.returncode == 0, output
    table = {line.split()[0]: line for line in output.splitlines() if line.startswith("  ")}
    assert list(table) == ["specials", "shop", "sick", "paused"]  # by priority
    assert re.search(rf"-> {specials.url} +healthy$", table["specials"])
    assert re.search(rf"-> {nothing_listens} +unhealthy \(503 until healthy\)$", table["sick"])
    assert "(no target)" in table["paused"]


async def test_a_route_with_its_own_health_check_turns_503_on_its_own_interval(
    shop, specials, tmp_path, client
):
    routes_file = tmp_path / "routes.json"
    routes_file.write_text(json.dumps(_routes(shop, specials, "http://127.0.0.1:1")))
    routes = read_routes(routes_file)
    assert not isinstance(routes, RoutesFileError), routes
    gateway = Gateway(
        routes, tmp_path / "run", GatewaySettings(port=free_port()), health=STEADY_HEALTH
    )
    async with gateway:
        assert gateway.healthy == {"shop", "specials"}

        specials.ready = False
        # Within a second, though the gateway's default interval is a minute.
        await wait_until(lambda: "specials" not in gateway.healthy, within=2)
        # Matched by the rule whose target is down: 503, no fall-through to "shop".
        response = await client.get(gateway.url + "/shop/specials/today")
        body = expect_problem(response, 503, "service-unavailable")
        assert body["detail"] == "specials has no healthy target."
        assert await _served_by(client, gateway.url + "/shop/cart") == "shop"


async def _served_by(client: httpx.AsyncClient, url: str) -> str:
    response = await client.get(url)
    assert response.status_code == 200, (url, response.text)
    return str(response.json()["service"])


async def _answers(client: httpx.AsyncClient, path: str, status: int) -> bool:
    try:
        return (await client.get(path)).status_code == status
    except httpx.TransportError:
        return False
