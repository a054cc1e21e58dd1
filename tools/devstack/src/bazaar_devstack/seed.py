"""A catalog to shop from on a fresh local stack, created through inventory's own API.

Through HTTP as an admin, like any other client, so the seed obeys the
service's validation and leaves the same events and rows a real admin would.
Running it again changes nothing: an existing product (409 ``product-exists``,
or a replay of the first create) is left as it is. Stock is received only by a
product that has never had any: one just created, or one whose earlier seed
stopped between the two calls. Each write's Idempotency-Key is derived from
the sku, so a seed retried after a lost answer is recognised as the same
operation and never receives the stock twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
import yaml

DEFAULT_SEED_FILE = Path(__file__).with_name("seed_catalog.yaml")
PRODUCTS_PATH = "/inventory/products"
PRODUCT_EXISTS = "https://bazaar.dev/problems/product-exists"
REPLAYED = "Idempotent-Replayed"
TIMEOUT = aiohttp.ClientTimeout(total=10)


class SeedError(Exception):
    """The seed file is wrong or inventory refused it; the message says which product."""


@dataclass(frozen=True, slots=True)
class SeedProduct:
    sku: str
    name: str
    description: str
    price_minor: int
    currency: str
    stock: int


@dataclass(slots=True)
class SeedReport:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    restocked: list[str] = field(default_factory=list)


def read_seed_file(path: Path) -> list[SeedProduct]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise SeedError(f"cannot read {path}: {error}") from None
    if not isinstance(document, Mapping) or not isinstance(document.get("products"), list):
        raise SeedError(f"{path}: expected a mapping with a `products` list")
    currency = document.get("currency")
    return [
        _product(path, index, entry, currency) for index, entry in enumerate(document["products"])
    ]


def _product(path: Path, index: int, entry: Any, currency: Any) -> SeedProduct:
    where = f"{path}: products[{index}]"
    if not isinstance(entry, Mapping):
        raise SeedError(f"{where}: expected a mapping")
    values = {"currency": currency, "description": "", **entry}
    expected = {
        "sku": str,
        "name": str,
        "description": str,
        "price_minor": int,
        "currency": str,
        "stock": int,
    }
    kinds = {str: "a string", int: "an integer"}
    unknown = set(values) - set(expected)
    if unknown:
        raise SeedError(f"{where}: unknown keys {sorted(unknown)}")
    for key, kind in expected.items():
        # bool is an int to Python, never a price or a quantity here.
        if not isinstance(values.get(key), kind) or isinstance(values.get(key), bool):
            raise SeedError(f"{where}: `{key}` must be {kinds[kind]}")
    if values["stock"] < 0:
        raise SeedError(f"{where}: `stock` must not be negative")
    return SeedProduct(**values)


async def seed_catalog(
    inventory_url: str, admin_token: str, path: Path = DEFAULT_SEED_FILE
) -> SeedReport:
    """Create the file's products through ``inventory_url`` (the service or the gateway)."""
    products = read_seed_file(path)
    report = SeedReport()
    headers = {"Authorization": f"Bearer {admin_token}"}
    base = inventory_url.rstrip("/") + PRODUCTS_PATH
    async with aiohttp.ClientSession(headers=headers, timeout=TIMEOUT) as http:
        for product in products:
            product_url = f"{base}/{quote(product.sku, safe='')}"
            if await _create(http, base, product):
                report.created.append(product.sku)
            else:
                report.existing.append(product.sku)
                if await _received(http, product_url, product.sku) > 0:
                    continue
            if product.stock > 0:
                await _restock(http, product_url, product)
                report.restocked.append(product.sku)
    return report


async def _create(http: aiohttp.ClientSession, url: str, product: SeedProduct) -> bool:
    """True if created now, False if it existed already (or an earlier seed created it)."""
    body = {
        "sku": product.sku,
        "name": product.name,
        "description": product.description,
        "price": {"amount_minor": product.price_minor, "currency": product.currency},
    }
    key = {"Idempotency-Key": f"seed-create-{product.sku}"}
    async with http.post(url, json=body, headers=key) as response:
        if response.status == 201:
            return response.headers.get(REPLAYED) != "true"
        problem = await _json_body(response)
        if response.status == 409 and problem.get("type") == PRODUCT_EXISTS:
            return False
        raise _refused(product.sku, "create", response.status, problem)


async def _received(http: aiohttp.ClientSession, product_url: str, sku: str) -> int:
    async with http.get(f"{product_url}/stock") as response:
        answer = await _json_body(response)
        if response.status != 200:
            raise _refused(sku, "read the stock of", response.status, answer)
        received = answer.get("received")
        if not isinstance(received, int):
            raise SeedError(f"{sku}: inventory's stock answer has no `received` count")
        return received


async def _restock(http: aiohttp.ClientSession, product_url: str, product: SeedProduct) -> None:
    key = {"Idempotency-Key": f"seed-restock-{product.sku}"}
    body = {"quantity": product.stock}
    async with http.post(f"{product_url}/restock", json=body, headers=key) as response:
        if response.status != 200:
            raise _refused(product.sku, "restock", response.status, await _json_body(response))


async def _json_body(response: aiohttp.ClientResponse) -> dict[str, Any]:
    """The JSON body (a problem on errors); empty when there is none."""
    try:
        body = await response.json(content_type=None)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _refused(sku: str, action: str, status: int, problem: Mapping[str, Any]) -> SeedError:
    detail = problem.get("detail") or "no detail"
    hint = " (is the token an admin's?)" if status in (401, 403) else ""
    return SeedError(f"inventory refused to {action} {sku}: {status} {detail}{hint}")
