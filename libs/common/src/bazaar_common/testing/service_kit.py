"""A service's test kit: declared once in its conftest, the common fixtures follow.

A service's ``tests/conftest.py`` declares what it is::

    @pytest.fixture(scope="session")
    def service_under_test() -> ServiceUnderTest[InventorySettings]:
        return ServiceUnderTest(
            name="inventory",
            create_app=create_app,
            settings_class=InventorySettings,
            metadata=metadata,
            messaging=MESSAGING,
            default_source="bazaar.orders",
        )

and the plugin (``bazaar_common.testing.plugin``) derives ``database_url``,
``settings_for``, ``settings``, ``service_app``, ``service_tables``,
``new_uow`` and ``deliver`` from it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from fastapi import FastAPI
from sqlalchemy import MetaData

from bazaar_common.db.unit_of_work import SqlUnitOfWork
from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import Event
from bazaar_common.messaging.handling import EventHandling
from bazaar_common.messaging.outbox import envelope_of
from bazaar_common.messaging.runtime import ServiceMessaging
from bazaar_common.settings import ServiceSettings
from bazaar_common.testing.eventbridge import sqs_body

SettingsT = TypeVar("SettingsT", bound=ServiceSettings)
NewUow = Callable[[], SqlUnitOfWork]


@dataclass(frozen=True)
class ServiceUnderTest(Generic[SettingsT]):
    """What a service's tests run: its app, settings, tables and events."""

    name: str
    """The catalog name: the consumer's name in the inbox, and the test database's prefix."""
    create_app: Callable[[SettingsT], FastAPI]
    settings_class: type[SettingsT]
    metadata: MetaData
    """Every table of the service, emptied before each test that uses ``app``."""
    messaging: ServiceMessaging | None = None
    """Its tables, unit of work and handlers, as ``main.py`` hands them to the app."""
    default_source: str | None = None
    """The ``source`` of an event delivered without one: who usually sends it (``bazaar.x``)."""
    settings_overrides: Mapping[str, object] = field(default_factory=dict)
    """Test values beyond the kit's own (database, issuer, quiet logs)."""

    def require_messaging(self) -> ServiceMessaging:
        if self.messaging is None:
            raise LookupError(f"{self.name}: declare messaging= in its ServiceUnderTest")
        return self.messaging


class Deliver:
    """Hands an event to the service as its consumer does, minus SQS.

    The event is put in an envelope (as the sender's outbox would), the
    envelope in an SQS body (as EventBridge would), and the body goes to the
    consumer's own ``EventHandling``: parsed by the registry, then inbox row,
    handler and commit in one unit of work. A handler that raises rolls both
    back and the error reaches the test, as it would reach the consumer.
    """

    def __init__(self, handling: EventHandling[Any], *, default_source: str | None) -> None:
        self._handling = handling
        self._default_source = default_source

    async def __call__(
        self,
        message: Event | Envelope,
        *,
        source: str | None = None,
        envelope: Envelope | None = None,
        uow_factory: NewUow | None = None,
    ) -> Envelope:
        """Deliver an event (in a new envelope) or an envelope; returns the envelope.

        Passing the returned envelope again (or as ``envelope=``) is a
        redelivery of the same message; passing the event again is the
        sender sending it again, under a new id.
        """
        sent = envelope or self.envelope_of(message, source=source)
        await self.handled(sent, uow_factory=uow_factory)
        return sent

    async def handled(self, message: Envelope, *, uow_factory: NewUow | None = None) -> bool:
        """Deliver an envelope: True if it was handled now, False if the inbox had it."""
        handling = self._handling
        if uow_factory is not None:
            handling = dataclasses.replace(handling, uow_factory=uow_factory)
        envelope, event, handler = handling.read(sqs_body(message))
        return await handling.handle_once(envelope, event, handler)

    def envelope_of(self, message: Event | Envelope, *, source: str | None = None) -> Envelope:
        if isinstance(message, Envelope):
            return message
        sender = source or self._default_source
        if sender is None:
            raise ValueError("say who sent the event: source='bazaar.<service>'")
        return envelope_of(message, source=sender)
