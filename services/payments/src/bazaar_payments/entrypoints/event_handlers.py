"""The events payments consumes, each with its handler: the saga's payment commands.

Each runs in the consumer's open unit of work, with the message's inbox
row; an exception rolls both back and the message comes back to be retried.
"""

from __future__ import annotations

from collections.abc import Mapping

from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import Event
from bazaar_common.messaging.handling import Handler
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


async def capture_payment(
    command: CapturePayment, envelope: Envelope, uow: PaymentsUnitOfWork
) -> None:
    await settlement.capture(uow, charge_of(command))


async def refund_payment(
    command: RefundPayment, envelope: Envelope, uow: PaymentsUnitOfWork
) -> None:
    await settlement.refund(uow, command.order_id)


HANDLERS: Mapping[type[Event], Handler[PaymentsUnitOfWork]] = {
    CapturePayment: capture_payment,
    RefundPayment: refund_payment,
}
