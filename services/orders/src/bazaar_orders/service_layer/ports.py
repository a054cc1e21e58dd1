"""What the use cases need from outside the orders database, as abstract ports."""

from __future__ import annotations

import abc
from collections.abc import Collection

from bazaar_orders.domain.model import Price


class PriceCatalog(abc.ABC):
    """Current prices by sku; inventory's catalog in production, a fake in unit tests."""

    @abc.abstractmethod
    async def prices_of(self, skus: Collection[str]) -> dict[str, Price]:
        """The price of every sku.

        Raises ``UnknownProducts`` naming every sku the catalog does not have,
        and ``InventoryUnavailable`` when the catalog cannot answer.
        """
