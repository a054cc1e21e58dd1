"""Take events off a service's SQS queue and handle each one exactly once in effect.

SQS delivers at least once. Each message is handled in one transaction with
its inbox row (``record_once``) and deleted only after that commits, so a
redelivery, or a crash between commit and delete, finds the row and changes
nothing. A handler that fails rolls back and leaves the message to come back
after its visibility timeout; after the queue's ``maxReceiveCount`` receives
SQS moves it to the DLQ. A message no retry can fix (poison) is never
deleted either: it is logged and returned to the queue soon, so it reaches
the DLQ quickly, where an operator finds it (``messaging.dlq``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, StatusCode
from pydantic import ValidationError
from sqlalchemy import Table

from bazaar_common.backoff import Backoff
from bazaar_common.db.unit_of_work import SqlUnitOfWork
from bazaar_common.messaging.causation import caused_by
from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import (
    Event,
    EventRegistry,
    MalformedEvent,
    PoisonEvent,
    UnknownEventType,
)
from bazaar_common.messaging.inbox import record_once
from bazaar_common.messaging.trace_context import context_of
from bazaar_common.observability.metrics import (
    record_consumer_lag,
    record_consumer_outcome,
)

logger = logging.getLogger("bazaar.messaging.consumer")
_tracer = trace.get_tracer("bazaar.messaging")

UowT = TypeVar("UowT", bound=SqlUnitOfWork)

# The event parameter is Any so a handler can name its concrete event class;
# the registry guarantees the handler only ever gets that class.
Handler = Callable[[Any, Envelope, UowT], Awaitable[None]]
"""Runs inside the consumer's open unit of work; use cases it calls join it."""

MAX_MESSAGES_PER_RECEIVE = 10  # the SQS limit
# A receive is bounded by its long poll plus this, whatever botocore does.
_RECEIVE_MARGIN_SECONDS = 10.0


@dataclass
class ConsumerStats:
    """Counts since start, for tests and metrics (also logged at stop)."""

    received: int = 0
    acked: int = 0
    """Handled for the first time, committed and deleted."""
    duplicates: int = 0
    """Already in the inbox: deleted without effect."""
    failed: int = 0
    """The handler or its transaction failed: left to come back."""
    poison: int = 0
    """Can never be handled: left for SQS to move to the DLQ."""
    delete_errors: int = 0
    """Committed but not deleted: it comes back and is then a duplicate."""
    receive_errors: int = 0


def parse_delivery(body: str, registry: EventRegistry) -> tuple[Envelope, Event]:
    """The envelope and typed event in an SQS body that EventBridge wrote.

    Raises ``PoisonEvent`` (with the reason) for anything that is not one.
    """
    try:
        document = json.loads(body)
    except ValueError:
        raise PoisonEvent("body is not JSON") from None
    if not isinstance(document, dict) or not isinstance(document.get("detail"), dict):
        raise PoisonEvent("not an EventBridge event: no detail object")
    try:
        envelope = Envelope.model_validate(document["detail"])
    except ValidationError as error:
        fields = ", ".join(".".join(map(str, e["loc"])) or "detail" for e in error.errors())
        raise MalformedEvent(f"bad envelope: {fields}") from None
    if document.get("detail-type") != envelope.type:
        raise MalformedEvent(
            f"detail-type {document.get('detail-type')!r} is not the envelope type {envelope.type}"
        )
    return envelope, registry.parse(envelope)


@dataclass(frozen=True)
class _Delivery:
    message_id: str
    receipt_handle: str
    body: str
    receive_count: int

    @classmethod
    def of(cls, message: Mapping[str, Any]) -> _Delivery:
        attributes = message.get("Attributes") or {}
        return cls(
            message_id=str(message["MessageId"]),
            receipt_handle=str(message["ReceiptHandle"]),
            body=str(message.get("Body", "")),
            receive_count=int(attributes.get("ApproximateReceiveCount", 0)),
        )


class QueueConsumer(Generic[UowT]):
    """Runs in the service process (see ``messaging.runtime``) until ``stop()``.

    At most ``concurrency`` messages are held at once: a receive asks only for
    as many messages as there are free slots, so a message never waits in
    memory while its visibility timeout runs out. ``handler_timeout_seconds``
    bounds a handler: one that hangs is cancelled (and rolled back) instead of
    having its message kept invisible for ever by the heartbeat.
    """

    def __init__(
        self,
        sqs_client: Any,
        queue_url: str,
        *,
        consumer: str,
        uow_factory: Callable[[], UowT],
        inbox: Table,
        registry: EventRegistry,
        handlers: Mapping[str, Handler[UowT]],
        concurrency: int = 8,
        wait_seconds: int = 20,
        visibility_timeout_seconds: int = 30,
        max_messages: int = MAX_MESSAGES_PER_RECEIVE,
        poison_visibility_seconds: int = 1,
        handler_timeout_seconds: float = 50.0,
        backoff: Backoff | None = None,
    ) -> None:
        unknown = sorted(set(handlers) - registry.type_names)
        if unknown:
            raise ValueError(f"handlers for {unknown}, which the registry has no schema for")
        if concurrency < 1 or not 1 <= max_messages <= MAX_MESSAGES_PER_RECEIVE:
            raise ValueError("concurrency must be >= 1 and max_messages within 1..10")
        if not 0 <= wait_seconds <= 20 or visibility_timeout_seconds < 1:
            raise ValueError("wait_seconds must be within 0..20, visibility_timeout >= 1")
        self._sqs = sqs_client
        self._queue_url = queue_url
        self._consumer = consumer
        self._uow_factory = uow_factory
        self._inbox = inbox
        self._registry = registry
        self._handlers = dict(handlers)
        self._wait_seconds = wait_seconds
        self._visibility_timeout = visibility_timeout_seconds
        self._batch = max_messages
        self._poison_visibility = poison_visibility_seconds
        self._handler_timeout = handler_timeout_seconds
        self._backoff = backoff or Backoff(base_seconds=0.2, cap_seconds=20.0)
        self._slots = asyncio.Semaphore(concurrency)
        self._stopping = asyncio.Event()
        self._finished = asyncio.Event()
        self._poller: asyncio.Task[None] | None = None
        self._in_hand: set[asyncio.Task[None]] = set()
        self._log_fields = {"consumer": consumer, "queue": queue_url.rsplit("/", 1)[-1]}
        self.stats = ConsumerStats()

    @property
    def in_hand(self) -> int:
        """Messages received and not yet finished with."""
        return len(self._in_hand)

    async def run(self) -> None:
        """Receive and handle until ``stop()``; errors are logged, never raised."""
        if self._poller is not None:
            raise RuntimeError("a consumer runs once")
        self._poller = asyncio.create_task(self._poll())
        if self._stopping.is_set():  # stopped before it started
            self._poller.cancel()
        logger.info("consumer started", extra=self._log_fields)
        try:
            await asyncio.wait({self._poller})
            if not self._poller.cancelled() and self._poller.exception() is not None:
                # A bug, not an SQS error (those are retried): say so, then drain.
                logger.error(
                    "consumer receive loop crashed",
                    exc_info=self._poller.exception(),
                    extra=self._log_fields,
                )
            while self._in_hand:
                await asyncio.wait(set(self._in_hand))
        finally:
            # Only reached with work left when run() itself is cancelled.
            leftovers = [self._poller, *self._in_hand]
            for task in leftovers:
                task.cancel()
            await asyncio.gather(*leftovers, return_exceptions=True)
            self._finished.set()
            logger.info("consumer stopped", extra={**self._log_fields, **asdict(self.stats)})

    # The deadline is the caller's (the app's stop timeout), split inside.
    async def stop(self, timeout: float) -> None:  # noqa: ASYNC109
        """Stop receiving now, let the messages in hand finish, return within ``timeout``.

        Handlers still running near the deadline are cancelled: they roll
        back, and their messages reappear after their visibility timeout.
        """
        self._stopping.set()
        if self._poller is None:
            return
        self._poller.cancel()  # a long poll in flight is abandoned, not awaited
        # Keep some of the time for cancelled handlers to roll back.
        grace = timeout - min(1.0, timeout / 5)
        try:
            async with asyncio.timeout(grace):
                await self._finished.wait()
            return
        except TimeoutError:
            pass
        logger.warning(
            "consumer stop timed out; cancelling the handlers left",
            extra={**self._log_fields, "in_hand": len(self._in_hand)},
        )
        for task in list(self._in_hand):
            task.cancel()
        try:
            async with asyncio.timeout(timeout - grace):
                await self._finished.wait()
        except TimeoutError:
            logger.error("consumer did not finish stopping in time", extra=self._log_fields)

    async def _poll(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            claimed = await self._claim_slots()
            try:
                messages = await self._receive(claimed)
            except Exception as error:
                self._release(claimed)
                failures += 1
                self.stats.receive_errors += 1
                delay = self._backoff.delay(failures)
                logger.warning(
                    "receive failed; backing off",
                    extra={
                        **self._log_fields,
                        "error": f"{type(error).__name__}: {error}",
                        "failures": failures,
                        "retry_in_seconds": round(delay, 3),
                    },
                )
                await asyncio.sleep(delay)
                continue
            except BaseException:  # cancelled by stop(): nothing was received
                self._release(claimed)
                raise
            failures = 0
            self._release(claimed - len(messages))
            for message in messages:
                task = asyncio.create_task(self._take(_Delivery.of(message)))
                self._in_hand.add(task)
                task.add_done_callback(self._in_hand.discard)

    async def _claim_slots(self) -> int:
        """Wait for one free slot, then take every other free one, up to a batch."""
        await self._slots.acquire()
        claimed = 1
        # Free slots are taken without waiting (``locked()`` is False).
        while claimed < self._batch and not self._slots.locked():
            await self._slots.acquire()
            claimed += 1
        return claimed

    def _release(self, slots: int) -> None:
        for _ in range(slots):
            self._slots.release()

    async def _receive(self, count: int) -> list[dict[str, Any]]:
        async with asyncio.timeout(self._wait_seconds + _RECEIVE_MARGIN_SECONDS):
            answer = await self._sqs.receive_message(
                QueueUrl=self._queue_url,
                MaxNumberOfMessages=count,
                WaitTimeSeconds=self._wait_seconds,
                # The heartbeat's period is set from this, not from the queue's.
                VisibilityTimeout=self._visibility_timeout,
                AttributeNames=["ApproximateReceiveCount"],
            )
        messages: list[dict[str, Any]] = answer.get("Messages", [])
        self.stats.received += len(messages)
        return messages

    async def _take(self, delivery: _Delivery) -> None:
        try:
            await self._process(delivery)
        except Exception:
            logger.exception(
                "consumer failed on a message",
                extra={**self._log_fields, "message_id": delivery.message_id},
            )
        finally:
            self._slots.release()

    async def _process(self, delivery: _Delivery) -> None:
        fields: dict[str, Any] = {
            **self._log_fields,
            "message_id": delivery.message_id,
            "receive_count": delivery.receive_count,
        }
        try:
            envelope, event = parse_delivery(delivery.body, self._registry)
            handler = self._handlers.get(envelope.type)
            if handler is None:
                raise UnknownEventType(f"no handler for {envelope.type}")
        except PoisonEvent as reason:
            self.stats.poison += 1
            record_consumer_outcome(self._consumer, "poison")
            logger.error("poison message left for the DLQ", extra={**fields, "reason": str(reason)})
            await self._return_soon(delivery, fields)
            return
        fields.update(event_id=str(envelope.id), event_type=envelope.type)
        lag = (datetime.now(UTC) - envelope.time).total_seconds()
        record_consumer_lag(self._consumer, envelope.type, lag)
        # A child of the span that published the event (its envelope's
        # traceparent): the trace goes on across the hop. Current while the
        # handler runs, so what it publishes carries this span onwards.
        with _tracer.start_as_current_span(
            f"{envelope.type} process",
            context=context_of(envelope.traceparent),
            kind=SpanKind.CONSUMER,
            attributes={
                "messaging.system": "aws_sqs",
                "messaging.operation.type": "process",
                "messaging.destination.name": self._log_fields["queue"],
                "messaging.message.id": delivery.message_id,
                "messaging.consumer.group.name": self._consumer,
                "bazaar.event.id": str(envelope.id),
                "bazaar.event.type": envelope.type,
                "bazaar.consumer.lag_seconds": round(lag, 3),
                "bazaar.receive_count": delivery.receive_count,
            },
            record_exception=False,
            set_status_on_exception=False,
        ) as span:
            await self._handle_and_delete(delivery, envelope, event, handler, fields, span)

    async def _handle_and_delete(
        self,
        delivery: _Delivery,
        envelope: Envelope,
        event: Event,
        handler: Handler[UowT],
        fields: dict[str, Any],
        span: Span,
    ) -> None:
        started = time.monotonic()
        try:
            first = await self._handle_once(delivery, envelope, event, handler, fields)
        except Exception as error:
            self.stats.failed += 1
            record_consumer_outcome(self._consumer, "failed", envelope.type)
            span.record_exception(error)
            span.set_status(StatusCode.ERROR, type(error).__name__)
            span.set_attribute("bazaar.consumer.outcome", "failed")
            logger.error(
                "event handling failed; the message comes back after its visibility timeout",
                exc_info=error,
                extra=fields,
            )
            return
        fields["duration_ms"] = round((time.monotonic() - started) * 1000, 1)
        outcome = "acked" if first else "duplicate"
        span.set_attribute("bazaar.consumer.outcome", outcome)
        try:
            await self._sqs.delete_message(
                QueueUrl=self._queue_url, ReceiptHandle=delivery.receipt_handle
            )
        except Exception as error:
            self.stats.delete_errors += 1
            span.set_attribute("bazaar.consumer.deleted", False)
            logger.warning(
                "event handled but its message not deleted; its redelivery is a duplicate",
                extra={**fields, "error": f"{type(error).__name__}: {error}"},
            )
            return
        if first:
            self.stats.acked += 1
            record_consumer_outcome(self._consumer, "acked", envelope.type)
            logger.info("event handled", extra=fields)
        else:
            self.stats.duplicates += 1
            record_consumer_outcome(self._consumer, "duplicate", envelope.type)
            logger.info("duplicate event skipped", extra=fields)

    async def _handle_once(
        self,
        delivery: _Delivery,
        envelope: Envelope,
        event: Event,
        handler: Handler[UowT],
        fields: dict[str, Any],
    ) -> bool:
        """Handler and inbox row in one transaction; False when already handled."""
        heartbeat = asyncio.create_task(self._keep_invisible(delivery, fields))
        try:
            async with asyncio.timeout(self._handler_timeout):
                uow = self._uow_factory()
                async with uow:
                    first = await record_once(
                        uow.connection, self._inbox, consumer=self._consumer, envelope=envelope
                    )
                    if first:
                        with caused_by(envelope.id):
                            await handler(event, envelope, uow)
                    await uow.commit()
                return first
        finally:
            heartbeat.cancel()
            # wait() rather than await: the heartbeat's cancellation is not ours.
            await asyncio.wait({heartbeat})

    async def _keep_invisible(self, delivery: _Delivery, fields: dict[str, Any]) -> None:
        """Extend the message's visibility while its handler runs, so no one else gets it."""
        period = self._visibility_timeout / 3
        while True:
            await asyncio.sleep(period)
            # A failed beat is only logged: the next may succeed, and if none
            # does the message is delivered again, which the inbox makes harmless.
            await self._set_visibility(
                delivery, self._visibility_timeout, fields, bound=period, purpose="extend"
            )

    async def _return_soon(self, delivery: _Delivery, fields: dict[str, Any]) -> None:
        # Each receive counts towards maxReceiveCount: the sooner it comes
        # back, the sooner SQS moves it to the DLQ.
        await self._set_visibility(
            delivery, self._poison_visibility, fields, bound=10.0, purpose="return poison"
        )

    async def _set_visibility(
        self,
        delivery: _Delivery,
        seconds: int,
        fields: dict[str, Any],
        *,
        bound: float,
        purpose: str,
    ) -> None:
        try:
            async with asyncio.timeout(bound):
                await self._sqs.change_message_visibility(
                    QueueUrl=self._queue_url,
                    ReceiptHandle=delivery.receipt_handle,
                    VisibilityTimeout=seconds,
                )
        except Exception as error:
            logger.warning(
                "could not change a message's visibility",
                extra={**fields, "purpose": purpose, "error": f"{type(error).__name__}: {error}"},
            )
