"""Event types are typed schemas in code; a registry turns envelopes into them.

A consumer only handles types it registered, at versions it knows: anything
else is refused with a clear reason instead of being half-understood.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, ValidationError

from bazaar_common.messaging.envelope import Envelope


class Event(BaseModel):
    """Base of every event: its fields are the envelope's ``data``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_type: ClassVar[str]
    event_version: ClassVar[int] = 1
    subject_field: ClassVar[str]
    """The field holding the aggregate id, which becomes the envelope's subject."""
    example_data: ClassVar[Mapping[str, Any]] = {}
    """Valid data of the type but its subject: it documents the type, and tests
    make an instance of any type from it, including types added later."""

    @classmethod
    def example(cls, subject: object) -> Self:
        """An instance of ``example_data`` about ``subject``."""
        return cls.model_validate({**cls.example_data, cls.subject_field: str(subject)})

    @property
    def subject(self) -> str:
        return str(getattr(self, self.subject_field))


class PoisonEvent(Exception):
    """An event no retry will ever make acceptable."""


class UnknownEventType(PoisonEvent):
    pass


class MalformedEvent(PoisonEvent):
    pass


class EventRegistry:
    def __init__(self, types: Iterable[type[Event]] = ()) -> None:
        self._types: dict[tuple[str, int], type[Event]] = {}
        for event_class in types:
            self.register(event_class)

    def register(self, event_class: type[Event]) -> None:
        key = (event_class.event_type, event_class.event_version)
        if key in self._types and self._types[key] is not event_class:
            raise ValueError(f"event type {key} registered twice")
        self._types[key] = event_class

    @property
    def type_names(self) -> frozenset[str]:
        return frozenset(name for name, _ in self._types)

    def parse(self, envelope: Envelope) -> Event:
        event_class = self._types.get((envelope.type, envelope.version))
        if event_class is None:
            raise UnknownEventType(f"no schema for {envelope.type} v{envelope.version}")
        try:
            return event_class.model_validate(envelope.data)
        except ValidationError as error:
            fields = ", ".join(".".join(map(str, e["loc"])) or "data" for e in error.errors())
            raise MalformedEvent(f"{envelope.type} v{envelope.version}: bad {fields}") from None
