"""The saga's payment commands: capture an order's money, or give it back.

Each is idempotent per order: the order's payment row is locked (or, if
there is none, created under the primary key) before anything is decided,
so a duplicate, a retry or a concurrent command has no second effect.
Both join the unit of work the consumer opened with the message's inbox row.
The payment records the events that tell the saga; the unit of work writes
those of every payment it saved.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from uuid import UUID

from bazaar_common.clock import Clock, utc_now
from bazaar_common.messaging.ids import uuid7
from bazaar_payments.domain.errors import PaymentRace
from bazaar_payments.domain.model import Charge, Payment
from bazaar_payments.service_layer.unit_of_work import PaymentsUnitOfWork

logger = logging.getLogger("bazaar.payments")

NewId = Callable[[], UUID]


async def capture(
    uow: PaymentsUnitOfWork, charge: Charge, *, clock: Clock = utc_now, new_id: NewId = uuid7
) -> Payment:
    """Take the order's money once: the processor is asked only if the order has no payment."""
    async with uow:
        payment = await uow.payments.for_order(charge.order_id, for_update=True)
        if payment is None:
            decision = await uow.card_processor.capture(charge)
            payment = Payment.settle(new_id(), charge, decision, now=clock())
            await _insert(uow, payment)
        elif payment.answer_capture(charge, now=clock()):
            await uow.payments.save(payment)
        else:
            _ignored("capture", payment)
        await uow.commit()
    return payment


async def refund(
    uow: PaymentsUnitOfWork, order_id: UUID, *, clock: Clock = utc_now, new_id: NewId = uuid7
) -> Payment:
    """Give a capture's money back once; with no payment yet, void the order's payment."""
    async with uow:
        payment = await uow.payments.for_order(order_id, for_update=True)
        if payment is None:
            payment = Payment.void(new_id(), order_id, now=clock())
            await _insert(uow, payment)
        elif payment.refund(now=clock()):
            await uow.payments.save(payment)
        else:
            _ignored("refund", payment)
        await uow.commit()
    return payment


async def _insert(uow: PaymentsUnitOfWork, payment: Payment) -> None:
    if not await uow.payments.add(payment):
        # A concurrent command for this order committed its payment after our
        # lookup found none. Failing rolls this one back; its retry sees that
        # payment and answers from it.
        raise PaymentRace(payment.order_id)


def _ignored(command: str, payment: Payment) -> None:
    # Expected under at-least-once delivery and compensations sent blind;
    # logged so an operator can follow an order's commands.
    logger.info(
        "%s changes nothing: the order's payment is %s",
        command,
        payment.status.value,
        extra={
            "order_id": str(payment.order_id),
            "payment_id": str(payment.id),
            "status": payment.status.value,
        },
    )
