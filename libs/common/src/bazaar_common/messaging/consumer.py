"""Take events off a service's SQS queue and handle each one exactly once in effect.

SQS delivers at least once. Each message is handled in one transaction with
its inbox row (``handling``) and deleted only after that commits, so a
redelivery, or a crash between commit and delete, finds the row and changes
nothing. A handler that fails rolls back and leaves the message to come back
after its visibility timeout; after the queue's ``maxReceiveCount`` receives
SQS moves it to the DLQ. A message no retry can fix (poison) is never
deleted either: it is logged and returned to the queue soon, so it reaches
the DLQ quickly, where an operator finds it (``messaging.dlq``).

This module is the receive loop: slots, receives, deletes, stop. What
happens to one message is in ``delivery`` (its body), ``handling`` (inbox
row, handler, commit), ``visibility`` (the heartbeat) and
``consumer_tracing`` (its span).
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Generic

from opentelemetry.trace import Span

from bazaar_common.backoff import Backoff
from bazaar_common.messaging.consumer_tracing import (
    process_span,
    record_failure,
    record_not_deleted,
    record_outcome,
)
from bazaar_common.messaging.delivery import Delivery
from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import Event, PoisonEvent
from bazaar_common.messaging.handling import EventHandling, Handler, UowT
from bazaar_common.messaging.visibility import MessageVisibility
from bazaar_common.observability.metrics import (
    record_consumer_lag,
    record_consumer_outcome,
)

logger = logging.getLogger("bazaar.messaging.consumer")

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
        handling: EventHandling[UowT],
        concurrency: int = 8,
        wait_seconds: int = 20,
        visibility_timeout_seconds: int = 30,
        max_messages: int = MAX_MESSAGES_PER_RECEIVE,
        poison_visibility_seconds: int = 1,
        handler_timeout_seconds: float = 50.0,
        backoff: Backoff | None = None,
    ) -> None:
        self._handling = handling
        if concurrency < 1 or not 1 <= max_messages <= MAX_MESSAGES_PER_RECEIVE:
            raise ValueError("concurrency must be >= 1 and max_messages within 1..10")
        if not 0 <= wait_seconds <= 20 or visibility_timeout_seconds < 1:
            raise ValueError("wait_seconds must be within 0..20, visibility_timeout >= 1")
        self._sqs = sqs_client
        self._queue_url = queue_url
        self._consumer = handling.consumer
        self._wait_seconds = wait_seconds
        self._visibility_timeout = visibility_timeout_seconds
        self._visibility = MessageVisibility(
            sqs_client,
            queue_url,
            timeout_seconds=visibility_timeout_seconds,
            poison_seconds=poison_visibility_seconds,
        )
        self._batch = max_messages
        self._handler_timeout = handler_timeout_seconds
        self._backoff = backoff or Backoff(base_seconds=0.2, cap_seconds=20.0)
        self._slots = asyncio.Semaphore(concurrency)
        self._stopping = asyncio.Event()
        self._finished = asyncio.Event()
        self._poller: asyncio.Task[None] | None = None
        self._in_hand: set[asyncio.Task[None]] = set()
        self._log_fields = {"consumer": handling.consumer, "queue": queue_url.rsplit("/", 1)[-1]}
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
                task = asyncio.create_task(self._take(Delivery.of(message)))
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

    async def _take(self, delivery: Delivery) -> None:
        try:
            await self._process(delivery)
        except Exception:
            logger.exception(
                "consumer failed on a message",
                extra={**self._log_fields, "message_id": delivery.message_id},
            )
        finally:
            self._slots.release()

    async def _process(self, delivery: Delivery) -> None:
        fields: dict[str, Any] = {
            **self._log_fields,
            "message_id": delivery.message_id,
            "receive_count": delivery.receive_count,
        }
        try:
            envelope, event, handler = self._handling.read(delivery.body)
        except PoisonEvent as reason:
            self.stats.poison += 1
            record_consumer_outcome(self._consumer, "poison")
            logger.error("poison message left for the DLQ", extra={**fields, "reason": str(reason)})
            await self._visibility.return_soon(delivery, fields)
            return
        fields.update(event_id=str(envelope.id), event_type=envelope.type)
        lag = (datetime.now(UTC) - envelope.time).total_seconds()
        record_consumer_lag(self._consumer, envelope.type, lag)
        with process_span(
            delivery,
            envelope,
            queue=self._log_fields["queue"],
            consumer=self._consumer,
            lag_seconds=lag,
        ) as span:
            await self._handle_and_delete(delivery, envelope, event, handler, fields, span)

    async def _handle_and_delete(
        self,
        delivery: Delivery,
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
            record_failure(span, error)
            logger.error(
                "event handling failed; the message comes back after its visibility timeout",
                exc_info=error,
                extra=fields,
            )
            return
        fields["duration_ms"] = round((time.monotonic() - started) * 1000, 1)
        record_outcome(span, "acked" if first else "duplicate")
        try:
            await self._sqs.delete_message(
                QueueUrl=self._queue_url, ReceiptHandle=delivery.receipt_handle
            )
        except Exception as error:
            self.stats.delete_errors += 1
            record_not_deleted(span)
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
        delivery: Delivery,
        envelope: Envelope,
        event: Event,
        handler: Handler[UowT],
        fields: dict[str, Any],
    ) -> bool:
        """``handling.handle_once``, bounded in time, the message kept invisible meanwhile."""
        async with self._visibility.heartbeat(delivery, fields):
            async with asyncio.timeout(self._handler_timeout):
                return await self._handling.handle_once(envelope, event, handler)
