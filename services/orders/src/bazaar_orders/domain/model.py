"""The order and its saga: a state machine driven by the replies of stock and payments.

Pure Python, no I/O. The aggregate records the events its transitions cause
(``events``) and the transitions themselves (``new_transitions``); the
repository writes the transitions and the unit of work the events, in the
transaction that saves the order. The methods
implement ADR 0007: a reply is applied only in the step that expects it;
a late ``StockReserved`` or ``PaymentCaptured`` on a cancelled order sends
its compensation again; every other reply out of place is ignored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from bazaar_common.errors import InvalidInput
from bazaar_contracts import orders as contract
from bazaar_contracts.fields import MAX_AMOUNT_MINOR, StockLine
from bazaar_orders.domain.errors import MixedCurrencies, OrderNotCancellable, UnknownProducts

MAX_ORDER_LINES = 20
MAX_ORDER_LINE_QUANTITY = 1_000
MAX_CUSTOMER_ID_LENGTH = 128


class OrderStatus(StrEnum):
    PENDING = "PENDING"
    CONFIRMED = "CONFIRMED"
    CANCELLED = "CANCELLED"


class SagaStep(StrEnum):
    RESERVING_STOCK = "reserving-stock"
    CAPTURING_PAYMENT = "capturing-payment"


class CancelReason(StrEnum):
    OUT_OF_STOCK = "out-of-stock"
    PAYMENT_DECLINED = "payment-declined"
    CUSTOMER_CANCELLED = "customer-cancelled"
    STEP_TIMEOUT = "step-timeout"


class Outcome(StrEnum):
    """What a reply or a cancel did to the order."""

    APPLIED = "applied"
    """The order moved on."""
    COMPENSATED = "compensated"
    """A late reply on a cancelled order: its compensation is sent again."""
    IGNORED = "ignored"
    """Out of place (duplicate, late, out of order): nothing changes."""


State = tuple[OrderStatus | None, SagaStep | None]
PLACED: State = (OrderStatus.PENDING, SagaStep.RESERVING_STOCK)
PAYING: State = (OrderStatus.PENDING, SagaStep.CAPTURING_PAYMENT)
CONFIRMED: State = (OrderStatus.CONFIRMED, None)
CANCELLED: State = (OrderStatus.CANCELLED, None)
NEW: State = (None, None)

# Invariant 8: an order's history is a path through these edges, never backwards.
ALLOWED_TRANSITIONS: frozenset[tuple[State, State]] = frozenset(
    {
        (NEW, PLACED),
        (PLACED, PAYING),
        (PLACED, CANCELLED),
        (PAYING, CONFIRMED),
        (PAYING, CANCELLED),
    }
)


@dataclass(frozen=True, slots=True)
class Price:
    amount_minor: int
    currency: str


@dataclass(frozen=True, slots=True)
class RequestedLine:
    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class OrderLine:
    sku: str
    quantity: int
    unit_price_minor: int

    @property
    def subtotal_minor(self) -> int:
        return self.quantity * self.unit_price_minor


@dataclass(frozen=True, slots=True)
class Transition:
    seq: int
    from_status: OrderStatus | None
    from_step: SagaStep | None
    to_status: OrderStatus
    to_step: SagaStep | None
    reason: str
    cause_event_id: UUID | None
    at: datetime

    @property
    def edge(self) -> tuple[State, State]:
        return (self.from_status, self.from_step), (self.to_status, self.to_step)


def is_valid_history(transitions: Sequence[Transition]) -> bool:
    """True when the transitions are one path of the state machine from placement on."""
    state = NEW
    for seq, transition in enumerate(transitions, start=1):
        source, target = transition.edge
        if transition.seq != seq or source != state or transition.edge not in ALLOWED_TRANSITIONS:
            return False
        state = target
    return True


@dataclass(eq=False)
class Order:
    id: UUID
    customer_id: str
    card_token: str
    lines: tuple[OrderLine, ...]
    currency: str
    total_minor: int
    status: OrderStatus
    step: SagaStep | None
    step_started_at: datetime | None
    cancel_reason: CancelReason | None
    stock_requested: bool
    """ReserveStock was sent: a cancel must send ReleaseStock."""
    capture_requested: bool
    """CapturePayment was sent: a cancel must send RefundPayment."""
    created_at: datetime
    updated_at: datetime
    version: int = 0
    """How many transitions the order has made; the next one gets ``version + 1``."""
    events: list[contract.OrderEvent] = field(default_factory=list, repr=False)
    new_transitions: list[Transition] = field(default_factory=list, repr=False)

    # --- placement ---------------------------------------------------------

    @classmethod
    def place(
        cls,
        order_id: UUID,
        *,
        customer_id: str,
        lines: Sequence[RequestedLine],
        prices: Mapping[str, Price],
        card_token: str,
        now: datetime,
    ) -> Order:
        """A PENDING order reserving its stock, priced from ``prices``."""
        if not 0 < len(customer_id) <= MAX_CUSTOMER_ID_LENGTH:
            raise InvalidInput(f"A customer id has 1 to {MAX_CUSTOMER_ID_LENGTH} characters.")
        check_lines(lines)
        unknown = [line.sku for line in lines if line.sku not in prices]
        if unknown:
            raise UnknownProducts(unknown)
        currencies = {prices[line.sku].currency for line in lines}
        if len(currencies) > 1:
            raise MixedCurrencies(sorted(currencies))
        priced = tuple(
            OrderLine(line.sku, line.quantity, prices[line.sku].amount_minor) for line in lines
        )
        total = sum(line.subtotal_minor for line in priced)
        if total > MAX_AMOUNT_MINOR:
            raise InvalidInput("The order's total is beyond what a payment can take.")
        order = cls(
            id=order_id,
            customer_id=customer_id,
            card_token=card_token,
            lines=priced,
            currency=currencies.pop(),
            total_minor=total,
            status=OrderStatus.PENDING,
            step=SagaStep.RESERVING_STOCK,
            step_started_at=now,
            cancel_reason=None,
            stock_requested=True,
            capture_requested=False,
            created_at=now,
            updated_at=now,
        )
        order._record_transition(NEW, "order-placed", cause_event_id=None, now=now)
        order.events.append(
            contract.OrderPlaced(
                order_id=order.id,
                customer_id=customer_id,
                lines=tuple(
                    contract.OrderLine(
                        sku=line.sku,
                        quantity=line.quantity,
                        unit_price_minor=line.unit_price_minor,
                    )
                    for line in priced
                ),
                total_minor=total,
                currency=order.currency,
            )
        )
        order.events.append(
            contract.ReserveStock(
                order_id=order.id,
                lines=tuple(StockLine(sku=line.sku, quantity=line.quantity) for line in priced),
            )
        )
        return order

    # --- replies of the saga's participants --------------------------------

    def on_stock_reserved(self, *, now: datetime, cause_event_id: UUID | None = None) -> Outcome:
        if self.state == PLACED:
            self._move(PAYING, "stock-reserved", cause_event_id, now)
            self.capture_requested = True
            self.events.append(
                contract.CapturePayment(
                    order_id=self.id,
                    customer_id=self.customer_id,
                    amount_minor=self.total_minor,
                    currency=self.currency,
                    card_token=self.card_token,
                )
            )
            return Outcome.APPLIED
        if self.status is OrderStatus.CANCELLED:
            # The reservation may have been made after the cancel's release ran.
            self.events.append(contract.ReleaseStock(order_id=self.id))
            return Outcome.COMPENSATED
        return Outcome.IGNORED

    def on_stock_rejected(self, *, now: datetime, cause_event_id: UUID | None = None) -> Outcome:
        if self.state != PLACED:
            return Outcome.IGNORED
        # A rejection reserved nothing: there is nothing to release.
        self._cancel(CancelReason.OUT_OF_STOCK, cause_event_id, now, compensate=False)
        return Outcome.APPLIED

    def on_payment_captured(self, *, now: datetime, cause_event_id: UUID | None = None) -> Outcome:
        if self.state == PAYING:
            self._move(CONFIRMED, "payment-captured", cause_event_id, now)
            self.events.append(contract.CommitStock(order_id=self.id))
            self.events.append(
                contract.OrderConfirmed(
                    order_id=self.id,
                    customer_id=self.customer_id,
                    total_minor=self.total_minor,
                    currency=self.currency,
                )
            )
            return Outcome.APPLIED
        if self.status is OrderStatus.CANCELLED:
            # Money taken for a cancelled order goes back, however late it came.
            self.events.append(contract.RefundPayment(order_id=self.id))
            return Outcome.COMPENSATED
        return Outcome.IGNORED

    def on_payment_declined(self, *, now: datetime, cause_event_id: UUID | None = None) -> Outcome:
        if self.state != PAYING:
            return Outcome.IGNORED
        # No money moved, so only the stock is given back.
        self.events.append(contract.ReleaseStock(order_id=self.id))
        self._cancel(CancelReason.PAYMENT_DECLINED, cause_event_id, now, compensate=False)
        return Outcome.APPLIED

    # --- decisions of the orders service itself -----------------------------

    def cancel(
        self, reason: CancelReason, *, now: datetime, cause_event_id: UUID | None = None
    ) -> Outcome:
        """Cancel a PENDING order, compensating every step it started.

        Cancelling a cancelled order changes nothing; a confirmed one refuses.
        """
        if self.status is OrderStatus.CANCELLED:
            return Outcome.IGNORED
        if self.status is OrderStatus.CONFIRMED:
            raise OrderNotCancellable(self.id, self.status.value)
        self._cancel(reason, cause_event_id, now, compensate=True)
        return Outcome.APPLIED

    def is_overdue(self, *, now: datetime, step_timeout: timedelta) -> bool:
        return (
            self.status is OrderStatus.PENDING
            and self.step_started_at is not None
            and now - self.step_started_at > step_timeout
        )

    def visible_to(self, customer_id: str, *, is_admin: bool) -> bool:
        return order_visible_to(self.customer_id, customer_id, is_admin=is_admin)

    def pull_events(self) -> list[contract.OrderEvent]:
        """The events recorded since the last pull, oldest first."""
        pulled, self.events = self.events, []
        return pulled

    # --- internals -----------------------------------------------------------

    @property
    def state(self) -> State:
        return (self.status, self.step)

    def _cancel(
        self, reason: CancelReason, cause_event_id: UUID | None, now: datetime, *, compensate: bool
    ) -> None:
        if compensate:
            # In reverse order of the steps: the money first, then the stock.
            if self.capture_requested:
                self.events.append(contract.RefundPayment(order_id=self.id))
            if self.stock_requested:
                self.events.append(contract.ReleaseStock(order_id=self.id))
        self._move(CANCELLED, reason.value, cause_event_id, now)
        self.cancel_reason = reason
        self.events.append(
            contract.OrderCancelled(
                order_id=self.id, customer_id=self.customer_id, reason=reason.value
            )
        )

    def _move(self, target: State, reason: str, cause_event_id: UUID | None, now: datetime) -> None:
        source = self.state
        status, self.step = target
        assert status is not None, "no transition leads back to before placement"
        self.status = status
        self.step_started_at = now if self.step is not None else None
        self.updated_at = now
        self._record_transition(source, reason, cause_event_id=cause_event_id, now=now)

    def _record_transition(
        self, source: State, reason: str, *, cause_event_id: UUID | None, now: datetime
    ) -> None:
        assert (source, self.state) in ALLOWED_TRANSITIONS, (source, self.state)
        self.version += 1
        self.new_transitions.append(
            Transition(
                seq=self.version,
                from_status=source[0],
                from_step=source[1],
                to_status=self.status,
                to_step=self.step,
                reason=reason,
                cause_event_id=cause_event_id,
                at=now,
            )
        )


def check_lines(lines: Sequence[RequestedLine]) -> None:
    if not 0 < len(lines) <= MAX_ORDER_LINES:
        raise InvalidInput(f"An order has 1 to {MAX_ORDER_LINES} lines.")
    if len({line.sku for line in lines}) != len(lines):
        raise InvalidInput("Each sku may appear in one line only.")
    if any(not 0 < line.quantity <= MAX_ORDER_LINE_QUANTITY for line in lines):
        raise InvalidInput(f"Each line orders 1 to {MAX_ORDER_LINE_QUANTITY} units.")


def order_visible_to(owner_id: str, customer_id: str, *, is_admin: bool) -> bool:
    """Who may see an order: its customer and admins (also for reads that load no ``Order``)."""
    return is_admin or owner_id == customer_id
