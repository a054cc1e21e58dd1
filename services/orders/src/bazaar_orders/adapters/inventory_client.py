"""Prices from inventory's public catalog, over HTTP with aiohttp.

One pooled session per process. Every attempt is bounded by a connect and a
read timeout; connection errors, timeouts and 5xx are retried a few times
with full-jitter backoff, anything else is final. Distinct skus are fetched
concurrently, so an order's price lookup costs one round trip, not twenty.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import aiohttp
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bazaar_common.backoff import Backoff
from bazaar_common.observability import current_telemetry, http_client_trace_configs
from bazaar_contracts.fields import AmountMinor, Currency
from bazaar_orders.domain.errors import InventoryUnavailable, UnknownProducts
from bazaar_orders.domain.model import Price
from bazaar_orders.service_layer.ports import PriceCatalog

logger = logging.getLogger("bazaar.orders.inventory")

POOL_SIZE = 64
# Inventory answers an unknown sku with this problem; any other 404 means a
# wrong INVENTORY_URL, which must show as an outage, not as "unknown products".
PRODUCT_NOT_FOUND = "product-not-found"


class _PriceIn(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    amount_minor: AmountMinor
    currency: Currency


class _ProductIn(BaseModel):
    """The part of inventory's ProductOut that orders reads."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    sku: str = Field(min_length=1)
    price: _PriceIn


class _Unknown:
    """The catalog has no such sku."""


class _Retryable(Exception):
    """This attempt failed in a way another attempt may not."""


@dataclass(frozen=True)
class InventoryClientConfig:
    base_url: str
    connect_timeout_seconds: float
    read_timeout_seconds: float
    retries: int
    retry_base_seconds: float


class InventoryClient(PriceCatalog):
    def __init__(
        self,
        session: aiohttp.ClientSession,
        config: InventoryClientConfig,
        *,
        backoff: Backoff | None = None,
    ) -> None:
        self._session = session
        self._config = config
        self._backoff = backoff or Backoff(
            base_seconds=config.retry_base_seconds, cap_seconds=max(config.retry_base_seconds, 1.0)
        )
        self.attempts = 0
        """HTTP attempts made, retries included (for tests and metrics)."""

    async def prices_of(self, skus: Collection[str]) -> dict[str, Price]:
        distinct = sorted(set(skus))
        results = await asyncio.gather(
            *(self._price_of(sku) for sku in distinct), return_exceptions=True
        )
        failures = [result for result in results if isinstance(result, BaseException)]
        if failures:
            unexpected = [f for f in failures if not isinstance(f, InventoryUnavailable)]
            if unexpected:
                raise unexpected[0]
            raise failures[0]
        unknown = [sku for sku, result in zip(distinct, results, strict=True) if result is _Unknown]
        if unknown:
            raise UnknownProducts(unknown)
        return {
            sku: result
            for sku, result in zip(distinct, results, strict=True)
            if isinstance(result, Price)
        }

    async def _price_of(self, sku: str) -> Price | type[_Unknown]:
        url = f"{self._config.base_url}/inventory/products/{quote(sku, safe='')}"
        attempts = self._config.retries + 1
        for attempt in range(1, attempts + 1):
            try:
                return await self._attempt(url, sku)
            except _Retryable as failure:
                reason = str(failure)
            if attempt == attempts:
                logger.warning(
                    "inventory unavailable after retries",
                    extra={"sku": sku, "attempts": attempts, "reason": reason},
                )
                raise InventoryUnavailable()
            await asyncio.sleep(self._backoff.delay(attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    async def _attempt(self, url: str, sku: str) -> Price | type[_Unknown]:
        self.attempts += 1
        try:
            async with self._session.get(url, headers={"Accept": "application/json"}) as response:
                if response.status >= 500:
                    raise _Retryable(f"status {response.status}")
                document = await response.json(content_type=None)
        except (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError, TimeoutError) as error:
            # Refused, reset, cut off mid-body, or past a timeout: another try may work.
            raise _Retryable(type(error).__name__) from error
        except (aiohttp.ContentTypeError, ValueError) as error:
            logger.error("inventory answered something other than JSON", extra={"sku": sku})
            raise InventoryUnavailable() from error
        if response.status == 404 and _problem_code(document) == PRODUCT_NOT_FOUND:
            return _Unknown
        if response.status != 200:
            logger.error(
                "inventory refused a price lookup", extra={"sku": sku, "status": response.status}
            )
            raise InventoryUnavailable()
        try:
            product = _ProductIn.model_validate(document)
        except ValidationError as error:
            logger.error("inventory answered a product orders cannot read", extra={"sku": sku})
            raise InventoryUnavailable() from error
        if product.sku != sku:
            logger.error("inventory answered another sku", extra={"sku": sku})
            raise InventoryUnavailable()
        return Price(product.price.amount_minor, product.price.currency)


def _problem_code(document: Any) -> str | None:
    if not isinstance(document, dict) or not isinstance(document.get("type"), str):
        return None
    code: str = document["type"].rsplit("/", 1)[-1]
    return code


@asynccontextmanager
async def inventory_client(config: InventoryClientConfig) -> AsyncIterator[InventoryClient]:
    """A client with its own connection pool, closed when the block ends."""
    # No `connect` bound: it would count the wait for a pooled connection too,
    # and a burst of orders would then fail on connect timeouts with inventory
    # healthy. `total` bounds that wait with the rest of the attempt.
    timeout = aiohttp.ClientTimeout(
        total=config.connect_timeout_seconds + config.read_timeout_seconds,
        sock_connect=config.connect_timeout_seconds,
        sock_read=config.read_timeout_seconds,
    )
    connector = aiohttp.TCPConnector(limit=POOL_SIZE, limit_per_host=POOL_SIZE)
    async with aiohttp.ClientSession(
        connector=connector,
        timeout=timeout,
        raise_for_status=False,
        trust_env=False,
        # A client span per attempt, and the traceparent header, so the
        # inventory request is part of the order's trace.
        trace_configs=http_client_trace_configs(current_telemetry()),
    ) as session:
        yield InventoryClient(session, config)
