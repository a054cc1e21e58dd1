"""Handle one event exactly once in effect: inbox row, handler and commit in one unit of work.

This is the consumer's core without SQS: ``QueueConsumer`` calls it for
every message it receives, and the service test kit
(``bazaar_common.testing.service_kit``) calls the same code, so a service's
tests exercise the consumer rather than a copy of it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Table

from bazaar_common.db.unit_of_work import SqlUnitOfWork
from bazaar_common.messaging.causation import caused_by
from bazaar_common.messaging.delivery import parse_delivery
from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import Event, EventRegistry, UnknownEventType
from bazaar_common.messaging.inbox import record_once

UowT = TypeVar("UowT", bound=SqlUnitOfWork)

# The event parameter is Any so a handler can name its concrete event class;
# the registry guarantees the handler only ever gets that class.
Handler = Callable[[Any, Envelope, UowT], Awaitable[None]]
"""Runs inside the consumer's open unit of work; use cases it calls join it."""


@dataclass(frozen=True)
class EventHandling(Generic[UowT]):
    """What one consumer does with the body of a message, once it has one.

    ``handlers`` are keyed by event type name; each must have a schema in
    ``registry``.
    """

    consumer: str
    uow_factory: Callable[[], UowT]
    inbox: Table
    registry: EventRegistry
    handlers: Mapping[str, Handler[UowT]]

    @classmethod
    def of(
        cls,
        consumer: str,
        uow_factory: Callable[[], UowT],
        inbox: Table,
        handlers: Mapping[type[Event], Handler[UowT]],
    ) -> EventHandling[UowT]:
        """The handling of exactly the events a service has handlers for."""
        return cls(
            consumer=consumer,
            uow_factory=uow_factory,
            inbox=inbox,
            registry=EventRegistry(handlers),
            handlers={event_class.event_type: handler for event_class, handler in handlers.items()},
        )

    def __post_init__(self) -> None:
        unknown = sorted(set(self.handlers) - self.registry.type_names)
        if unknown:
            raise ValueError(f"handlers for {unknown}, which the registry has no schema for")

    def read(self, body: str) -> tuple[Envelope, Event, Handler[UowT]]:
        """The envelope, typed event and handler of a body; ``PoisonEvent`` if there are none."""
        envelope, event = parse_delivery(body, self.registry)
        handler = self.handlers.get(envelope.type)
        if handler is None:
            raise UnknownEventType(f"no handler for {envelope.type}")
        return envelope, event, handler

    async def handle_once(self, envelope: Envelope, event: Event, handler: Handler[UowT]) -> bool:
        """Handler and inbox row in one transaction; False when already handled.

        A handler that raises rolls the inbox row back with its own changes:
        the redelivery then handles the event again.
        """
        uow = self.uow_factory()
        async with uow:
            first = await record_once(
                uow.connection, self.inbox, consumer=self.consumer, envelope=envelope
            )
            if first:
                with caused_by(envelope.id):
                    await handler(event, envelope, uow)
            await uow.commit()
        return first
