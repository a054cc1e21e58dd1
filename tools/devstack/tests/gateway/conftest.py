from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Mapping, Sequence
from pathlib import Path

import httpx
import pytest

from bazaar_common.catalog import ServiceEntry, discover
from bazaar_common.testing.ports import free_port
from bazaar_devstack.gateway.health import HealthCheckSettings
from bazaar_devstack.gateway.routes import Route, RouteTarget, catalog_routes
from bazaar_devstack.gateway.runner import Gateway
from bazaar_devstack.gateway.settings import GatewaySettings, Target

from .targets import EchoTarget, RawTarget

REPOSITORY_ROOT = Path(__file__).resolve().parents[4]
# Slow enough that no health change happens during a test that does not want one.
STEADY_HEALTH = HealthCheckSettings(interval_seconds=60, timeout_seconds=1)
FAST_HEALTH = HealthCheckSettings(
    interval_seconds=0.1, timeout_seconds=0.1, healthy_threshold=2, unhealthy_threshold=2
)

StartGateway = Callable[..., Awaitable[Gateway]]


def every_target(routes: Sequence[Route], names: Collection[str]) -> frozenset[RouteTarget]:
    """Every target of the routes named: the healthy set when all of theirs are up."""
    return frozenset(
        member for route in routes if route.name in names for member in route.registered
    )


@pytest.fixture(scope="session")
def catalog() -> list[ServiceEntry]:
    return discover(REPOSITORY_ROOT)


def _health_path(catalog: list[ServiceEntry], service: str) -> str:
    """Where the gateway checks the service's target: its catalog entry says."""
    return next(entry.health_path for entry in catalog if entry.name == service)


@pytest.fixture
async def inventory(catalog: list[ServiceEntry]) -> AsyncIterator[EchoTarget]:
    target = await EchoTarget("inventory", _health_path(catalog, "inventory")).start()
    yield target
    await target.stop()


@pytest.fixture
async def orders(catalog: list[ServiceEntry]) -> AsyncIterator[EchoTarget]:
    target = await EchoTarget("orders", _health_path(catalog, "orders")).start()
    yield target
    await target.stop()


@pytest.fixture
async def raw_target(catalog: list[ServiceEntry]) -> AsyncIterator[RawTarget]:
    """A broken target for the inventory route."""
    target = await RawTarget(_health_path(catalog, "inventory")).start()
    yield target
    await target.stop()


@pytest.fixture
async def start_gateway(catalog: list[ServiceEntry], tmp_path: Path) -> AsyncIterator[StartGateway]:
    started: list[Gateway] = []

    async def start(
        targets: Mapping[str, str | Sequence[str]],
        health: HealthCheckSettings = STEADY_HEALTH,
        **settings: object,
    ) -> Gateway:
        """A gateway routing each named service to its target URL (or URLs)."""
        registered = {
            name: [Target.parse(url) for url in ([urls] if isinstance(urls, str) else urls)]
            for name, urls in targets.items()
        }
        gateway = Gateway(
            catalog_routes(catalog, registered),
            tmp_path / f"gateway-{len(started)}",
            GatewaySettings(port=free_port(), **settings),  # type: ignore[arg-type]
            health,
        )
        await gateway.start()
        started.append(gateway)
        return gateway

    yield start
    for gateway in started:
        await gateway.stop(grace_seconds=2)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    """A client with a connection per request.

    A health change reloads nginx, and its old workers close the idle
    keep-alive connections they hold; a client reusing one then sees the
    server disconnect (as with any server closing an idle connection). The
    keep-alive test speaks on one raw connection of its own instead.
    """
    limits = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(timeout=10, limits=limits) as http:
        yield http
