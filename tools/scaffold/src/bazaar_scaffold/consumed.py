"""The events a new service consumes: each must be a type of ``bazaar_contracts``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bazaar_common.messaging.events import Event
from bazaar_contracts import ALL_EVENTS
from bazaar_scaffold.refusal import Refusal


@dataclass(frozen=True)
class ConsumedEvent:
    """What the templates need of one consumed type."""

    event_type: str
    module: str
    """Its contracts module, which is also its publisher's name."""
    has_customer: bool
    """Whether it names a customer, who then owns the record it makes."""

    @property
    def snake(self) -> str:
        return re.sub(r"(?<!^)(?=[A-Z])", "_", self.event_type).lower()

    @classmethod
    def of(cls, event_class: type[Event]) -> ConsumedEvent:
        return cls(
            event_type=event_class.event_type,
            module=event_class.__module__.rsplit(".", 1)[-1],
            has_customer="customer_id" in event_class.model_fields,
        )


def consumed_events(names: list[str]) -> list[ConsumedEvent]:
    """The named types, in the order given; refused if one is unknown or named twice."""
    known = {event_class.event_type: event_class for event_class in ALL_EVENTS}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise Refusal(
            f"unknown event type {', '.join(unknown)}: "
            f"bazaar_contracts has {', '.join(sorted(known))}"
        )
    if len(set(names)) != len(names):
        raise Refusal(f"an event type is named twice in {','.join(names)}")
    return [ConsumedEvent.of(known[name]) for name in names]
