"""What the API reads: shipping records, as the caller may see them."""

from __future__ import annotations

from uuid import UUID

from bazaar_shipping.adapters.repository import PageKey
from bazaar_shipping.domain.errors import ShippingNotFound
from bazaar_shipping.domain.model import Shipping
from bazaar_shipping.service_layer.unit_of_work import ShippingUnitOfWork


async def record_for(
    uow: ShippingUnitOfWork, record_id: UUID, *, customer_id: str | None
) -> Shipping:
    """The record, if ``customer_id`` may read it (None: anyone's); else not found."""
    async with uow.reading():
        record = await uow.records.get(record_id)
    if record is None or not record.visible_to(customer_id):
        raise ShippingNotFound(record_id)
    return record


async def records_page(
    uow: ShippingUnitOfWork, *, customer_id: str | None, after: PageKey | None, limit: int
) -> list[Shipping]:
    async with uow.reading():
        return await uow.records.page(customer_id=customer_id, after=after, limit=limit)
