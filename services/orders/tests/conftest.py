"""Fixtures of the orders tests: real Postgres, a real loopback price server, real tokens.

The helpers live here rather than in modules because the suite is imported
in pytest's importlib mode, where test modules cannot import each other.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Collection
from typing import Any

import pytest
from aiohttp import web
from fastapi import FastAPI

from bazaar_common.testing.database import RawDatabase
from bazaar_common.testing.service_kit import ServiceUnderTest
from bazaar_common.testing.tokens import TokenIssuer
from bazaar_orders.adapters.tables import metadata
from bazaar_orders.domain.errors import UnknownProducts
from bazaar_orders.domain.model import Price
from bazaar_orders.main import MESSAGING, create_app
from bazaar_orders.service_layer.ports import PriceCatalog
from bazaar_orders.settings import OrdersSettings

PROBLEM = "application/problem+json"


# --- a real HTTP server answering like inventory's product route -------------


class PriceServer:
    """Prices and faults set by the test; the orders code calls it over real TCP."""

    def __init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.reset()

    def reset(self) -> None:
        self.prices: dict[str, tuple[int, str]] = {}
        self.delay_seconds = 0.0
        self.hang = False
        self.failures: dict[str, list[int]] = {}
        self.raw: dict[str, tuple[int, str, str]] = {}
        self.requests: Counter[str] = Counter()
        # Requests being answered at once, and the most there ever were.
        self.in_flight = 0
        self.most_in_flight = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def set_price(self, sku: str, amount_minor: int, currency: str = "EUR") -> None:
        self.prices[sku] = (amount_minor, currency)

    def fail(self, sku: str, status: int, times: int = 1_000) -> None:
        """Answer ``status`` to the next ``times`` requests for ``sku``."""
        self.failures[sku] = [status] * times

    def answer(self, sku: str, status: int, body: str, content_type: str = "text/plain") -> None:
        """Answer every request for ``sku`` with this raw response."""
        self.raw[sku] = (status, body, content_type)

    async def start(self) -> PriceServer:
        app = web.Application()
        app.router.add_get("/inventory/products/{sku}", self._product)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _product(self, request: web.Request) -> web.StreamResponse:
        sku = request.match_info["sku"]
        self.requests[sku] += 1
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            return await self._answer(sku)
        finally:
            self.in_flight -= 1

    async def _answer(self, sku: str) -> web.StreamResponse:
        if self.hang:
            await asyncio.Event().wait()
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        if self.failures.get(sku):
            status = self.failures[sku].pop(0)
            return _problem(status, "upstream-failure", f"failing on purpose with {status}")
        if sku in self.raw:
            status, body, content_type = self.raw[sku]
            return web.Response(status=status, text=body, content_type=content_type)
        if sku not in self.prices:
            return _problem(404, "product-not-found", f"No product with sku {sku!r}.")
        amount, currency = self.prices[sku]
        return web.json_response(
            {
                "sku": sku,
                "name": f"Product {sku}",
                "description": "",
                "price": {"amount_minor": amount, "currency": currency},
                "available": 10,
                "updated_at": "2026-12-01T00:00:00Z",
            }
        )


def _problem(status: int, code: str, detail: str) -> web.Response:
    body = {
        "type": f"https://bazaar.dev/problems/{code}",
        "title": code,
        "status": status,
        "detail": detail,
    }
    return web.Response(status=status, text=json.dumps(body), content_type=PROBLEM)


@pytest.fixture(scope="session")
async def price_server() -> AsyncIterator[PriceServer]:
    server = await PriceServer().start()
    yield server
    await server.stop()


# --- a fake of our own price port, for the service layer ---------------------


class FakePrices(PriceCatalog):
    def __init__(self, prices: dict[str, Price] | None = None) -> None:
        self.prices = dict(prices or {})
        self.error: Exception | None = None
        self.during_lookup: Callable[[], Awaitable[None]] | None = None
        self.lookups = 0

    async def prices_of(self, skus: Collection[str]) -> dict[str, Price]:
        self.lookups += 1
        if self.during_lookup is not None:
            await self.during_lookup()
        if self.error is not None:
            raise self.error
        unknown = [sku for sku in skus if sku not in self.prices]
        if unknown:
            raise UnknownProducts(unknown)
        return {sku: self.prices[sku] for sku in skus}


@pytest.fixture
def fake_prices() -> FakePrices:
    return FakePrices({"MUG-1": Price(1_250, "EUR"), "TEA-1": Price(400, "EUR")})


# --- the service under test (the plugin makes the app, settings, deliver) ----

# Sweeps are tested on their own; here one would only add noise.
TEST_SETTINGS: dict[str, object] = {
    "inventory_connect_timeout_seconds": 0.5,
    "inventory_read_timeout_seconds": 1.0,
    "inventory_retries": 1,
    "inventory_retry_base_seconds": 0.01,
    "saga_sweep_interval_seconds": 300,
}


@pytest.fixture(scope="session")
def service_under_test(price_server: PriceServer) -> ServiceUnderTest[OrdersSettings]:
    """What the plugin's ``settings_for``, ``app``, ``new_uow`` and ``deliver`` are made of."""
    return ServiceUnderTest(
        name="orders",
        create_app=create_app,
        settings_class=OrdersSettings,
        metadata=metadata,
        messaging=MESSAGING,
        default_source="bazaar.inventory",  # payments' replies say source="bazaar.payments"
        settings_overrides={**TEST_SETTINGS, "inventory_url": price_server.url},
    )


@pytest.fixture
async def app(app: FastAPI, price_server: PriceServer) -> FastAPI:
    """The plugin's ``app`` (tables emptied), and the price server back to its defaults."""
    price_server.reset()
    price_server.set_price("MUG-1", 1_250)
    price_server.set_price("TEA-1", 400)
    price_server.set_price("USD-1", 900, "USD")
    return app


# --- checking responses and what got written ---------------------------------


class Database(RawDatabase):
    """Raw reads of the service's tables, to check what really got written."""

    async def outbox(self, order_id: object = None) -> list[dict[str, Any]]:
        """Envelopes in the outbox in the order they were written, of one order or all."""
        rows = await self.rows(
            "SELECT envelope FROM outbox WHERE (CAST(:subject AS text) IS NULL "
            "OR subject = :subject) ORDER BY created_at, id",
            subject=None if order_id is None else str(order_id),
        )
        return [row["envelope"] for row in rows]

    async def outbox_types(self, order_id: object = None) -> list[str]:
        return [envelope["type"] for envelope in await self.outbox(order_id)]

    async def transitions(self, order_id: object) -> list[dict[str, Any]]:
        return await self.rows(
            "SELECT * FROM order_transitions WHERE order_id = :id ORDER BY seq", id=order_id
        )


@pytest.fixture
def db(app: FastAPI) -> Database:
    return Database(app.state.engine, metadata)


# --- callers -----------------------------------------------------------------


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="session")
def alice(token_issuer: TokenIssuer) -> dict[str, str]:
    return bearer(token_issuer.customer_token("alice"))


@pytest.fixture(scope="session")
def bob(token_issuer: TokenIssuer) -> dict[str, str]:
    return bearer(token_issuer.customer_token("bob"))


@pytest.fixture(scope="session")
def admin(token_issuer: TokenIssuer) -> dict[str, str]:
    return bearer(token_issuer.admin_token("ada"))


@pytest.fixture(scope="session")
def subject_of(token_issuer: TokenIssuer) -> Callable[[str], str]:
    """The customer id (``sub``) of a test user, as the issuer mints it."""
    return lambda username: str(token_issuer.claims(username, [])["sub"])
