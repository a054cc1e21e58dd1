"""The saga's commands, as they come off the queue: each one use case.

Run by the consumer inside its unit of work, with the message's inbox row;
an exception rolls both back and the message comes back to be retried.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bazaar_common.messaging.consumer import Handler
from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import Event
from bazaar_contracts.orders import CapturePayment, RefundPayment
from bazaar_payments.domain.model import Charge
from bazaar_payments.service_layer import settlement
from bazaar_payments.service_layer.unit_of_work import PaymentsUnitOfWork


def charge_of(command: CapturePayment) -> Charge:
    return Charge(
        order_id=command.order_id,
        customer_id=command.customer_id,
        amount_minor=command.amount_minor,
        currency=command.currency,
        card_token=command.card_token,
    )


async def on_capture_payment(
    event: CapturePayment, envelope: Envelope, uow: PaymentsUnitOfWork
) -> None:
    await settlement.capture(uow, charge_of(event))


async def on_refund_payment(
    event: RefundPayment, envelope: Envelope, uow: PaymentsUnitOfWork
) -> None:
    await settlement.refund(uow, event.order_id)


HANDLERS: Mapping[type[Event], Handler[Any]] = {
    CapturePayment: on_capture_payment,
    RefundPayment: on_refund_payment,
}
