"""What the API reads: payments, as the caller may see them."""

from __future__ import annotations

from uuid import UUID

from bazaar_payments.adapters.payment_repository import PageKey, PaymentFilter
from bazaar_payments.domain.errors import PaymentNotFound
from bazaar_payments.domain.model import Payment
from bazaar_payments.service_layer.unit_of_work import PaymentsUnitOfWork


async def payment_for(
    uow: PaymentsUnitOfWork, payment_id: UUID, *, customer_id: str | None
) -> Payment:
    """The payment, if ``customer_id`` owns it (None: anyone's); else not found, never forbidden."""
    async with uow.reading():
        payment = await uow.payments.get(payment_id)
    if payment is None or (customer_id is not None and payment.customer_id != customer_id):
        raise PaymentNotFound(payment_id)
    return payment


async def payments_page(
    uow: PaymentsUnitOfWork, payment_filter: PaymentFilter, *, after: PageKey | None, limit: int
) -> list[Payment]:
    async with uow.reading():
        return await uow.payments.page(payment_filter, after=after, limit=limit)
