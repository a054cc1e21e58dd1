"""Helpers of the service-layer tests: products made through the use cases, commands delivered."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from bazaar_common.db.engine import create_engine
from bazaar_common.messaging.causation import caused_by
from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import Event, EventRegistry
from bazaar_common.messaging.inbox import record_once
from bazaar_common.messaging.outbox import envelope_of
from bazaar_inventory.adapters.tables import messaging
from bazaar_inventory.domain.model import Money, Stock
from bazaar_inventory.main import MESSAGING
from bazaar_inventory.service_layer import catalog
from bazaar_inventory.service_layer.unit_of_work import InventoryUnitOfWork

NewUow = Callable[[], InventoryUnitOfWork]
Deliver = Callable[..., Awaitable[Envelope]]


@pytest.fixture
def add_product(new_uow: NewUow) -> Callable[..., Awaitable[None]]:
    """``await add_product(sku, units=0, price=100, currency="EUR")``."""

    async def add(sku: str, *, units: int = 0, price: int = 100, currency: str = "EUR") -> None:
        await catalog.create_product(
            new_uow(), sku=sku, name=f"Product {sku}", description="", price=Money(price, currency)
        )
        if units:
            await catalog.restock(new_uow(), sku, units)

    return add


@pytest.fixture
def stock_of(new_uow: NewUow) -> Callable[[str], Awaitable[Stock]]:
    return lambda sku: catalog.stock_of(new_uow(), sku)


@pytest.fixture
async def race_uow(app, settings):
    """Like ``new_uow``, on an engine whose pool makes callers wait, not fail.

    The pool timeout is raised for these tests only, so a slow machine
    queues rather than failing.
    """
    engine = create_engine(
        settings.model_copy(update={"db_pool_timeout_seconds": 60.0}),
        application_name="inventory-race-test",
    )
    assert engine.pool.size() == settings.db_pool_size  # type: ignore[attr-defined]
    yield lambda: InventoryUnitOfWork(engine)
    await engine.dispose()


def as_sent_by_orders(command: Event) -> Envelope:
    return envelope_of(command, source="bazaar.orders")


@pytest.fixture
def deliver(new_uow: NewUow) -> Deliver:
    """``await deliver(command_or_envelope, uow_factory=new_uow)``, as the consumer does.

    A command is put in a new envelope (as orders' outbox would); passing
    the returned envelope again is a redelivery. Parse by the registered
    schema, then in one unit of work record the inbox row, run the
    registered handler (with the envelope as the cause) and commit. A
    handler that raises rolls both back, as in the consumer.
    """
    registry = EventRegistry(MESSAGING.handlers)

    async def handle(message: Event | Envelope, *, uow_factory: NewUow = new_uow) -> Envelope:
        envelope = message if isinstance(message, Envelope) else as_sent_by_orders(message)
        event = registry.parse(envelope)
        handler = MESSAGING.handlers[type(event)]
        uow = uow_factory()
        async with uow:
            first = await record_once(
                uow.connection, messaging.inbox, consumer="inventory", envelope=envelope
            )
            if first:
                with caused_by(envelope.id):
                    await handler(event, envelope, uow)
            await uow.commit()
        return envelope

    return handle
