"""The payments model: one payment per order, and the rules that keep money right.

Pure Python, no I/O. The money invariants (docs/reliability.md, invariant 3) live here:
an order is captured at most once, only a capture is ever refunded, and a
refund that comes before any capture voids the order's payment so that no
later capture can take money for it. Each change records the event that
tells the saga about it (``events``); the unit of work writes those to the
outbox in the transaction that saves the payment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from bazaar_contracts.payments import (
    PaymentCaptured,
    PaymentDeclined,
    PaymentEvent,
    PaymentRefunded,
)


class PaymentStatus(StrEnum):
    CAPTURED = "captured"
    DECLINED = "declined"
    REFUNDED = "refunded"
    VOIDED = "voided"


class DeclineReason(StrEnum):
    CARD_DECLINED = "card-declined"
    AMOUNT_OVER_LIMIT = "amount-over-limit"
    PAYMENT_VOIDED = "payment-voided"


@dataclass(frozen=True, slots=True)
class Charge:
    """What a ``CapturePayment`` asks for: this amount, on this card, for this order."""

    order_id: UUID
    customer_id: str
    amount_minor: int
    currency: str
    card_token: str


@dataclass(frozen=True, slots=True)
class CardDecision:
    """The card processor's answer to a charge: approved, or declined for a reason."""

    decline_reason: DeclineReason | None = None

    @property
    def approved(self) -> bool:
        return self.decline_reason is None


APPROVED = CardDecision()


@dataclass(slots=True)
class Payment:
    """The one payment of an order.

    ``amount_minor``, ``currency`` and ``customer_id`` are what the capture
    asked for; they are unknown (None) only on a payment voided before any
    capture came. Only ``captured`` holds money.
    """

    id: UUID
    order_id: UUID
    status: PaymentStatus
    customer_id: str | None
    amount_minor: int | None
    currency: str | None
    decline_reason: DeclineReason | None
    created_at: datetime
    updated_at: datetime
    captured_at: datetime | None = None
    refunded_at: datetime | None = None
    events: list[PaymentEvent] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def settle(
        cls, payment_id: UUID, charge: Charge, decision: CardDecision, *, now: datetime
    ) -> Payment:
        """The order's first capture, as the processor decided it."""
        payment = cls(
            id=payment_id,
            order_id=charge.order_id,
            status=PaymentStatus.CAPTURED if decision.approved else PaymentStatus.DECLINED,
            customer_id=charge.customer_id,
            amount_minor=charge.amount_minor,
            currency=charge.currency,
            decline_reason=decision.decline_reason,
            created_at=now,
            updated_at=now,
            captured_at=now if decision.approved else None,
        )
        if decision.decline_reason is None:
            payment._record(
                PaymentCaptured(
                    order_id=charge.order_id,
                    payment_id=payment_id,
                    amount_minor=charge.amount_minor,
                    currency=charge.currency,
                )
            )
        else:
            payment._record(
                PaymentDeclined(order_id=charge.order_id, reason=decision.decline_reason.value)
            )
        return payment

    @classmethod
    def void(cls, payment_id: UUID, order_id: UUID, *, now: datetime) -> Payment:
        """A refund came before any capture: the capture still on its way must not take money.

        Nothing moved, so nothing is published; the capture, when it comes,
        gets the decline (``answer_capture``).
        """
        return cls(
            id=payment_id,
            order_id=order_id,
            status=PaymentStatus.VOIDED,
            customer_id=None,
            amount_minor=None,
            currency=None,
            decline_reason=None,
            created_at=now,
            updated_at=now,
        )

    def answer_capture(self, charge: Charge, *, now: datetime) -> bool:
        """A capture for an order that has its payment already: never a second capture.

        A voided payment that has not answered a capture yet records what
        the capture asked and declines it (``payment-voided``), once; any
        other payment has given its answer already. True when this changed
        the payment.
        """
        if self.status is not PaymentStatus.VOIDED or self.decline_reason is not None:
            return False
        self.customer_id = charge.customer_id
        self.amount_minor = charge.amount_minor
        self.currency = charge.currency
        self.decline_reason = DeclineReason.PAYMENT_VOIDED
        self.updated_at = self._not_before_last_change(now)
        self._record(
            PaymentDeclined(order_id=self.order_id, reason=DeclineReason.PAYMENT_VOIDED.value)
        )
        return True

    def refund(self, *, now: datetime) -> bool:
        """Give a capture's money back, once. Anything else has no money to give back.

        True when this changed the payment.
        """
        if self.status is not PaymentStatus.CAPTURED:
            return False
        assert self.amount_minor is not None, "a capture knows its amount"
        assert self.currency is not None, "a capture knows its currency"
        self.status = PaymentStatus.REFUNDED
        self.refunded_at = self.updated_at = self._not_before_last_change(now)
        self._record(
            PaymentRefunded(
                order_id=self.order_id,
                payment_id=self.id,
                amount_minor=self.amount_minor,
                currency=self.currency,
            )
        )
        return True

    @property
    def held_minor(self) -> int:
        """Money this payment holds now: captured minus refunded."""
        if self.status is PaymentStatus.CAPTURED:
            assert self.amount_minor is not None
            return self.amount_minor
        return 0

    def pull_events(self) -> list[PaymentEvent]:
        """The events recorded since the last pull, oldest first."""
        pulled, self.events = self.events, []
        return pulled

    def _not_before_last_change(self, now: datetime) -> datetime:
        # Tasks on different hosts disagree by milliseconds; a payment's own
        # times never run backwards, whichever task changes it next.
        return max(now, self.updated_at)

    def _record(self, event: PaymentEvent) -> None:
        self.events.append(event)
