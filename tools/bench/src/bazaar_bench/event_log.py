"""Audit's event log as the services write it, generated: orders' sagas, event by event.

Each order runs one of the saga's real paths (bazaar_contracts; the orders,
inventory, payments and shipping services): confirmed (9 events, with the
shipment), stock rejected (4), payment declined (8), or cancelled by the
customer while paying, its capture arriving after the cancel (11). Every
event is the envelope the outbox writes (``Envelope.model_dump(mode="json")``,
``bazaar_common.messaging.outbox.envelope_of``): a UUIDv7 id made at its
time, the publisher's source, the order's id as subject, the contract's data,
one trace per order, and the causation links the consumers set (the command
a reply answers, the reply a next step follows). Orders arrive at random
over months, busier in the day than at night; each saga step takes
milliseconds, each delivery to audit a little longer.

The rows are audit's ``events`` columns, as ``EventStore.append`` fills
them, in the text format of ``COPY ... FROM STDIN`` (``copy_lines``).
"""

from __future__ import annotations

import heapq
import itertools
import json
import math
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bazaar_common.messaging.ids import uuid7

COLUMNS = (
    "event_id",
    "type",
    "source",
    "subject",
    "version",
    "occurred_at",
    "received_at",
    "causation_id",
    "traceparent",
    "envelope",
)
START = datetime(2026, 1, 1, tzinfo=UTC)
ORDERS_PER_DAY = 6_000
# The share of each ending (the rest are confirmed).
STOCK_REJECTED, PAYMENT_DECLINED, CANCELLED_WHILE_PAYING = 0.03, 0.04, 0.01
SKUS = [f"BENCH-{number:04d}" for number in range(2_000)]
CUSTOMERS = 50_000
CARD_TOKENS = ("tok_visa", "tok_mastercard", "tok_amex")
_EPOCH = datetime(1970, 1, 1)  # naive: isoformat() then has no offset to strip
_DAY_US = 86_400_000_000
_dumps = json.JSONEncoder(separators=(",", ":")).encode
NULL, BACKSLASH = "\\N", "\\"
_START_US = int(START.timestamp()) * 1_000_000


@dataclass(frozen=True, slots=True)
class LogEvent:
    """One stored event: its envelope's fields and when audit received it.

    Ids and times are kept as the JSON text they become: each is written
    twice (a column and the envelope), and made into text once.
    """

    id: str
    type: str
    source: str
    subject: str
    time_us: int
    """Microseconds since the Unix epoch, as the publisher's clock read them."""
    time: str
    received_us: int
    data: dict[str, object]
    traceparent: str
    causation_id: str | None

    def envelope(self) -> dict[str, object]:
        """The envelope as the outbox stores it and the bus carries it (JSON values)."""
        return {
            "id": self.id,
            "type": self.type,
            "source": self.source,
            "time": self.time,
            "subject": self.subject,
            "version": 1,
            "data": self.data,
            "traceparent": self.traceparent,
            "causation_id": self.causation_id,
        }

    def copy_line(self) -> str:
        """The row of audit's ``events``, in COPY's text format (tab-separated, ``\\N`` null)."""
        envelope = _dumps(self.envelope())
        return (
            f"{self.id}\t{self.type}\t{self.source}\t{self.subject}\t1\t{self.time}\t"
            f"{iso(self.received_us)}\t{self.causation_id or NULL}\t{self.traceparent}\t"
            # COPY's text format reads a backslash as an escape: JSON's own stay as they are.
            f"{envelope.replace(BACKSLASH, BACKSLASH * 2)}\n"
        )


def iso(time_us: int) -> str:
    """ISO 8601 in UTC as pydantic writes it: ``Z``, microseconds only when there are any."""
    return (_EPOCH + timedelta(microseconds=time_us)).isoformat() + "Z"


def unix_us(moment: datetime) -> int:
    return (moment - START) // timedelta(microseconds=1) + _START_US


class Saga:
    """One order's events, each written as a step of the saga after its cause."""

    def __init__(self, rng: random.Random, order_id: str, placed_us: int) -> None:
        self.rng = rng
        self.order_id = order_id
        self.now_us = placed_us
        self.trace_id = f"{rng.getrandbits(128):032x}"
        # One trace in ten is recorded (the platform's trace_sample_ratio).
        self.flags = "01" if rng.random() < 0.1 else "00"
        self.events: list[LogEvent] = []

    def emit(
        self,
        type_: str,
        service: str,
        data: dict[str, object] | None = None,
        *,
        cause: LogEvent | None = None,
        after_ms: float = 0.0,
    ) -> LogEvent:
        """An event ``after_ms`` after the previous one, caused by ``cause`` (None: a request)."""
        self.now_us += int(after_ms * 1000) + self.rng.randrange(1, 200)
        event = LogEvent(
            id=str(uuid7(self.now_us // 1000)),
            type=type_,
            source=f"bazaar.{service}",
            subject=self.order_id,
            time_us=self.now_us,
            time=iso(self.now_us),
            # The relay's NOTIFY, the bus and audit's queue: tens of milliseconds.
            received_us=self.now_us + int(self.rng.lognormvariate(3.3, 0.5) * 1000),
            data={"order_id": self.order_id, **(data or {})},
            traceparent=f"00-{self.trace_id}-{self.rng.getrandbits(64):016x}-{self.flags}",
            causation_id=cause.id if cause else None,
        )
        self.events.append(event)
        return event

    def step_ms(self) -> float:
        """How long a consumer takes to pick a message up and handle it."""
        return self.rng.lognormvariate(3.0, 0.6)


def order_events(
    rng: random.Random, order_id: str, placed_us: int, customer: str
) -> list[LogEvent]:
    """One order's events in the order they were written: one of the saga's paths, at random."""
    saga = Saga(rng, order_id, placed_us)
    lines = [
        {"sku": sku, "quantity": rng.choice((1, 1, 1, 2, 3)), "unit_price_minor": price}
        for sku, price in (
            (sku, 100 * rng.randrange(3, 250) - 10) for sku in rng.sample(SKUS, rng.randint(1, 4))
        )
    ]
    total = sum(int(line["quantity"]) * int(line["unit_price_minor"]) for line in lines)
    stock = [{"sku": line["sku"], "quantity": line["quantity"]} for line in lines]
    money = {"amount_minor": total, "currency": "EUR"}
    saga.emit(
        "OrderPlaced",
        "orders",
        {"customer_id": customer, "lines": lines, "total_minor": total, "currency": "EUR"},
    )
    reserve = saga.emit("ReserveStock", "orders", {"lines": stock})
    ending = rng.random()
    if ending < STOCK_REJECTED:
        first = stock[0]
        rejected = saga.emit(
            "StockRejected",
            "inventory",
            {
                "reason": "insufficient-stock",
                "shortages": [
                    {"sku": first["sku"], "requested": first["quantity"], "available": 0}
                ],
            },
            cause=reserve,
            after_ms=saga.step_ms(),
        )
        saga.emit(
            "OrderCancelled",
            "orders",
            {"customer_id": customer, "reason": "out-of-stock"},
            cause=rejected,
            after_ms=saga.step_ms(),
        )
        return saga.events
    reserved = saga.emit(
        "StockReserved", "inventory", {"lines": stock}, cause=reserve, after_ms=saga.step_ms()
    )
    capture = saga.emit(
        "CapturePayment",
        "orders",
        {"customer_id": customer, **money, "card_token": rng.choice(CARD_TOKENS)},
        cause=reserved,
        after_ms=saga.step_ms(),
    )
    ending -= STOCK_REJECTED
    if ending < PAYMENT_DECLINED:
        declined = saga.emit(
            "PaymentDeclined",
            "payments",
            {"reason": "card-declined"},
            cause=capture,
            after_ms=saga.step_ms(),
        )
        release = saga.emit("ReleaseStock", "orders", cause=declined, after_ms=saga.step_ms())
        saga.emit(
            "OrderCancelled",
            "orders",
            {"customer_id": customer, "reason": "payment-declined"},
            cause=declined,
        )
        saga.emit("StockReleased", "inventory", {"lines": stock}, cause=release)
        return saga.events
    payment = {"payment_id": str(uuid7(saga.now_us // 1000)), **money}
    captured = saga.emit(
        "PaymentCaptured", "payments", payment, cause=capture, after_ms=saga.step_ms()
    )
    ending -= PAYMENT_DECLINED
    if ending < CANCELLED_WHILE_PAYING:
        # The customer's cancel (no cause: an HTTP request) crossed the capture.
        refund = saga.emit("RefundPayment", "orders")
        release = saga.emit("ReleaseStock", "orders")
        saga.emit(
            "OrderCancelled", "orders", {"customer_id": customer, "reason": "customer-cancelled"}
        )
        saga.emit("RefundPayment", "orders", cause=captured, after_ms=saga.step_ms())
        saga.emit("StockReleased", "inventory", {"lines": stock}, cause=release)
        saga.emit("PaymentRefunded", "payments", payment, cause=refund, after_ms=saga.step_ms())
        return saga.events
    commit = saga.emit("CommitStock", "orders", cause=captured, after_ms=saga.step_ms())
    confirmed = saga.emit(
        "OrderConfirmed",
        "orders",
        {"customer_id": customer, "total_minor": total, "currency": "EUR"},
        cause=captured,
    )
    saga.emit("StockCommitted", "inventory", cause=commit, after_ms=saga.step_ms())
    saga.emit(
        "ShipmentCreated",
        "shipping",
        {"shipment_id": str(uuid7(saga.now_us // 1000)), "customer_id": customer},
        cause=confirmed,
        after_ms=saga.step_ms(),
    )
    return saga.events


class EventLog:
    """The log as it grows: orders placed one after another from ``START``, for ever.

    ``events()`` yields every event in the order audit receives them (its
    insert order); each call carries on where the last one stopped, so a
    log grown in steps is the log grown at once. Seeded: the same seed gives
    the same orders (the ids' random bits aside).
    """

    def __init__(self, seed: int = 0, orders_per_day: float = ORDERS_PER_DAY) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - test data, not secrets
        # Cognito subjects, as the orders service records its customers.
        self.customers = [
            str(uuid.UUID(int=self.rng.getrandbits(128), version=4)) for _ in range(CUSTOMERS)
        ]
        self.orders_per_us = orders_per_day / _DAY_US
        self.clock_us = _START_US
        self.orders = 0
        self._pending: list[tuple[int, int, LogEvent]] = []  # a heap, by received time
        self._sequence = itertools.count()

    def _next_placement(self) -> int:
        # Busier by day than by night: the rate swings +-60% over the day, peaking at 15:00 UTC.
        hour = (self.clock_us % _DAY_US) / _DAY_US * 24
        rate = self.orders_per_us * (1 + 0.6 * math.sin((hour - 9) / 24 * 2 * math.pi))
        self.clock_us += max(1, int(self.rng.expovariate(rate)))
        return self.clock_us

    def events(self, count: int) -> Iterator[LogEvent]:
        """The next ``count`` events received; the last order may still be under way."""
        pending = self._pending
        while count:
            placed = self._next_placement()
            # Every event of a later order is received after it is placed.
            while count and pending and pending[0][0] <= placed:
                yield heapq.heappop(pending)[2]
                count -= 1
            self.orders += 1
            order_id, customer = str(uuid7(placed // 1000)), self.rng.choice(self.customers)
            for event in order_events(self.rng, order_id, placed, customer):
                heapq.heappush(pending, (event.received_us, next(self._sequence), event))
