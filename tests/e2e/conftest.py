"""Fixtures of the end-to-end tests: the whole system as processes, and its users.

One stack per test session (starting the services takes seconds). Tests
use skus and customers of their own, and after each one the queues are
drained and every invariant is checked over all that the stack holds.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest

from bazaar_common.testing.moto import REGION, MotoServer
from bazaar_devstack.cognito import access_token, add_user
from bazaar_devstack.invariants import Books, check_invariants, drain
from bazaar_devstack.stack import Stack

pytestmark = pytest.mark.e2e


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
async def stack(
    postgres_admin_dsn: str,
    moto_server: MotoServer,
    repository_root: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Stack]:
    stack = Stack(
        root=repository_root,
        logs=tmp_path_factory.mktemp("e2e-logs"),
        admin_dsn=postgres_admin_dsn,
        moto_url=moto_server.url,
    )
    async with stack.running():
        yield stack


@pytest.fixture(autouse=True)
async def invariants_hold_afterwards(stack: Stack) -> AsyncIterator[None]:
    yield
    await drain(stack)
    check_invariants(await Books.read(stack))


class Shop:
    """The system as its users reach it: HTTP through the gateway, tokens from Cognito (moto)."""

    def __init__(self, stack: Stack, http: httpx.AsyncClient) -> None:
        self.stack = stack
        self.http = http
        self.admin: dict[str, str] = {}
        self._signed_in: dict[str, dict[str, str]] = {}

    @staticmethod
    def bearer(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    async def sign_in(self, name: str, *, group: str = "customers") -> dict[str, str]:
        """Headers with the access token of ``name``, a user of the stack's pool made if new."""
        if name not in self._signed_in:
            assert self.stack.identity is not None
            moto, identity = self.stack.cognito_url, self.stack.identity
            await add_user(moto, REGION, identity, name, group=group)
            token = await access_token(moto, REGION, identity, name)
            self._signed_in[name] = self.bearer(token)
        return self._signed_in[name]

    async def customer(self, name: str) -> dict[str, str]:
        return await self.sign_in(name)

    def url(self, service: str, path: str) -> str:
        """Every call goes through the gateway, as through the ALB; ``service`` documents it."""
        assert path.startswith(self.stack.entries[service].route.path_prefix), path
        return self.stack.gateway_url + path

    async def add_product(self, units: int, *, price: int = 1_000) -> str:
        sku = f"E2E-{uuid4().hex[:10].upper()}"
        body = {
            "sku": sku,
            "name": f"Item {sku}",
            "price": {"amount_minor": price, "currency": "EUR"},
        }
        created = await self.http.post(
            self.url("inventory", "/inventory/products"),
            json=body,
            headers={**self.admin, "Idempotency-Key": f"create-{sku}"},
        )
        assert created.status_code == 201, created.text
        if units:
            restocked = await self.http.post(
                self.url("inventory", f"/inventory/products/{sku}/restock"),
                json={"quantity": units},
                headers={**self.admin, "Idempotency-Key": f"restock-{sku}"},
            )
            assert restocked.status_code == 200, restocked.text
        return sku

    async def stock(self, sku: str) -> dict[str, Any]:
        response = await self.http.get(
            self.url("inventory", f"/inventory/products/{sku}/stock"), headers=self.admin
        )
        assert response.status_code == 200, response.text
        return dict(response.json())

    async def place(
        self,
        customer: dict[str, str],
        lines: dict[str, int],
        *,
        key: str | None = None,
        **extra: Any,
    ) -> httpx.Response:
        body = {"lines": [{"sku": sku, "quantity": qty} for sku, qty in lines.items()], **extra}
        headers = {**customer, "Idempotency-Key": key or str(uuid4())}
        return await self.retrying_unavailable(
            lambda: self.http.post(self.url("orders", "/orders"), json=body, headers=headers)
        )

    async def order(self, customer: dict[str, str], order_id: str) -> httpx.Response:
        return await self.retrying_unavailable(
            lambda: self.http.get(self.url("orders", f"/orders/{order_id}"), headers=customer)
        )

    @staticmethod
    async def retrying_unavailable(
        send: Callable[[], Awaitable[httpx.Response]], attempts: int = 20
    ) -> httpx.Response:
        """As a client honouring the gateway's 503 + Retry-After does (a POST with its key).

        Right after a service restarts, the gateway's health checks may still
        count the old process's failures for a moment.
        """
        response = await send()
        for _ in range(attempts):
            if response.status_code != 503 or "retry-after" not in response.headers:
                break
            await asyncio.sleep(0.5)
            response = await send()
        return response

    async def settled(
        self, customer: dict[str, str], order_id: str, within: float = 30.0
    ) -> dict[str, Any]:
        """The order once it is CONFIRMED or CANCELLED."""
        deadline = time.monotonic() + within
        body: dict[str, Any] = {}
        while time.monotonic() < deadline:
            response = await self.order(customer, order_id)
            assert response.status_code == 200, response.text
            body = response.json()
            if body["status"] in ("CONFIRMED", "CANCELLED"):
                return body
            await asyncio.sleep(0.1)
        raise AssertionError(
            f"order {order_id} still {body.get('status')}:\n{self.stack.log_tails()}"
        )

    async def payments_of(self, who: dict[str, str], order_id: str) -> list[dict[str, Any]]:
        response = await self.http.get(
            self.url("payments", "/payments"), params={"order_id": order_id}, headers=who
        )
        assert response.status_code == 200, response.text
        return list(response.json()["items"])

    async def shipment_of(self, who: dict[str, str], order_id: str) -> httpx.Response:
        return await self.http.get(
            self.url("shipping", f"/shipping/orders/{order_id}/shipment"), headers=who
        )

    async def timeline(self, order_id: str) -> list[dict[str, Any]]:
        response = await self.http.get(
            self.url("audit", f"/audit/orders/{order_id}/timeline"), headers=self.admin
        )
        assert response.status_code == 200, response.text
        return list(response.json()["events"])


@pytest.fixture
async def shop(stack: Stack) -> AsyncIterator[Shop]:
    # No keep-alive: each request meets the gateway's current configuration.
    limits = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(timeout=30, limits=limits) as http:
        shop = Shop(stack, http)
        shop.admin = await shop.sign_in("ada", group="admins")
        yield shop
