"""The seed catalog, created through a real inventory process with ada's moto token."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from uuid import uuid4

import httpx
import pytest

from bazaar_common.testing.moto import FAKE_CREDENTIALS, REGION, MotoServer
from bazaar_common.testing.ports import free_port
from bazaar_common.testing.service_process import ServiceProcess
from bazaar_devstack.cognito import Identity, access_token
from bazaar_devstack.seed import DEFAULT_SEED_FILE, SeedError, read_seed_file, seed_catalog


@pytest.fixture(scope="session")
async def inventory_url(
    create_test_database: Callable[[str], Awaitable[str]],
    identity: Identity,
    moto_server: MotoServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[str]:
    """Inventory as its own process, accepting the local pool's tokens (AUTH_* only)."""
    process = ServiceProcess(
        "bazaar_inventory",
        port=free_port(),
        env={
            **FAKE_CREDENTIALS,
            **identity.service_environment(),
            "DATABASE_URL": await create_test_database("devstack_seed_test"),
            "ENVIRONMENT": "test",
            "AWS_REGION": REGION,
            "AWS_ENDPOINT_URL": moto_server.url,
            # Only its HTTP API is under test: no bus or queues to talk to.
            "RELAY_ENABLED": "false",
            "CONSUMERS_ENABLED": "false",
            "LOG_LEVEL": "WARNING",
            "ACCESS_LOG": "false",
        },
        log_path=tmp_path_factory.mktemp("seed") / "inventory.log",
    )
    await asyncio.to_thread(lambda: process.start().wait_ready(timeout=30))
    try:
        yield process.url
    finally:
        await asyncio.to_thread(process.stop)


@pytest.fixture(scope="session")
async def ada(identity: Identity, moto_server: MotoServer) -> str:
    return await access_token(moto_server.url, REGION, identity, "ada")


async def stock_of(inventory_url: str, token: str, sku: str) -> dict[str, int]:
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as http:
        response = await http.get(f"{inventory_url}/inventory/products/{sku}/stock")
    assert response.status_code == 200, response.text
    body: dict[str, int] = response.json()
    return body


def seed_file(tmp_path: Path, *products: str) -> Path:
    path = tmp_path / "seed.yaml"
    path.write_text("currency: EUR\nproducts:\n" + "".join(products))
    return path


def product(sku: str, stock: int = 7) -> str:
    return f"  - {{sku: {sku}, name: Test product, price_minor: 990, stock: {stock}}}\n"


async def test_the_seed_creates_the_catalog_once(inventory_url, ada):
    skus = [item.sku for item in read_seed_file(DEFAULT_SEED_FILE)]

    first = await seed_catalog(inventory_url, ada)
    second = await seed_catalog(inventory_url, ada)

    assert first.created == first.restocked == skus
    assert second.existing == skus
    assert second.created == second.restocked == []
    async with httpx.AsyncClient() as http:
        page = (await http.get(f"{inventory_url}/inventory/products?limit=100")).json()
    listed = {item["sku"]: item for item in page["items"]}
    for item in read_seed_file(DEFAULT_SEED_FILE):
        assert listed[item.sku]["name"] == item.name
        assert listed[item.sku]["price"] == {"amount_minor": item.price_minor, "currency": "EUR"}
        # Received once, by the first run only.
        assert listed[item.sku]["available"] == item.stock


async def test_a_product_left_without_stock_by_an_interrupted_seed_gets_it(
    inventory_url, ada, tmp_path
):
    sku = f"SEED-{uuid4().hex[:8].upper()}"
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {ada}"}) as http:
        created = await http.post(
            f"{inventory_url}/inventory/products",
            json={
                "sku": sku,
                "name": "Half seeded",
                "price": {"amount_minor": 1, "currency": "EUR"},
            },
            headers={"Idempotency-Key": "created-by-hand"},
        )
        assert created.status_code == 201, created.text

    report = await seed_catalog(inventory_url, ada, seed_file(tmp_path, product(sku, stock=5)))

    assert (report.existing, report.restocked) == ([sku], [sku])
    assert (await stock_of(inventory_url, ada, sku))["received"] == 5


async def test_a_customer_token_is_refused_and_nothing_is_created(
    inventory_url, ada, identity, moto_server, tmp_path
):
    sku = f"SEED-{uuid4().hex[:8].upper()}"
    alice = await access_token(moto_server.url, REGION, identity, "alice")

    with pytest.raises(SeedError, match=rf"create {sku}: 403 .*admin's"):
        await seed_catalog(inventory_url, alice, seed_file(tmp_path, product(sku)))

    async with httpx.AsyncClient() as http:
        assert (await http.get(f"{inventory_url}/inventory/products/{sku}")).status_code == 404


async def test_a_product_inventory_rejects_names_its_sku(inventory_url, ada, tmp_path):
    path = seed_file(tmp_path, product("lower-case-sku"))

    with pytest.raises(SeedError, match="refused to create lower-case-sku: 422"):
        await seed_catalog(inventory_url, ada, path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("products: nope\n", "a `products` list"),
        (
            "currency: EUR\nproducts:\n  - {sku: A, name: B, price_minor: 1}\n",
            "`stock` must be an integer",
        ),
        (
            "products:\n  - {sku: A, name: B, price_minor: 1, stock: 1}\n",
            "`currency` must be a string",
        ),
        (
            "products:\n  - {sku: A, name: B, price_minor: true, stock: 1, currency: EUR}\n",
            "`price_minor`",
        ),
        (
            "currency: EUR\nproducts:\n  - {sku: A, name: B, price_minor: 1, stock: -1}\n",
            "negative",
        ),
        (
            "products:\n  - {sku: A, name: B, price_minor: 1, stock: 1, currency: EUR, x: 1}\n",
            "unknown keys",
        ),
        ("products: [", "cannot read"),
    ],
)
def test_a_bad_seed_file_is_refused_before_any_request(tmp_path, content, message):
    path = tmp_path / "seed.yaml"
    path.write_text(content)

    with pytest.raises(SeedError, match=message):
        read_seed_file(path)


def test_the_shipped_seed_is_a_dozen_euro_products():
    products = read_seed_file(DEFAULT_SEED_FILE)

    assert len(products) == 12
    assert len({item.sku for item in products}) == 12
    assert {item.currency for item in products} == {"EUR"}
    assert all(item.stock > 0 and item.price_minor > 0 for item in products)
