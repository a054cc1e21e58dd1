"""Everything the templates are rendered with, decided from the name and the catalog."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bazaar_common.catalog import ServiceEntry
from bazaar_scaffold.consumed import ConsumedEvent

# Listener rule priorities step by this, leaving room for rules in between.
PRIORITY_STEP = 100


@dataclass(frozen=True)
class Blueprint:
    name: str
    port: int
    priority: int
    consumes: list[ConsumedEvent]
    created: datetime

    @classmethod
    def of(
        cls,
        name: str,
        entries: list[ServiceEntry],
        consumes: list[ConsumedEvent],
        created: datetime,
    ) -> Blueprint:
        """The next free port and priority after the catalog's highest."""
        return cls(
            name=name,
            port=max((entry.port for entry in entries), default=8000) + 1,
            priority=max((entry.route.priority for entry in entries), default=0) + PRIORITY_STEP,
            consumes=consumes,
            created=created,
        )

    @property
    def class_prefix(self) -> str:
        return self.name.capitalize()

    @property
    def package(self) -> str:
        return f"bazaar_{self.name}"

    @property
    def event_type(self) -> str:
        return f"{self.class_prefix}Created"

    @property
    def _made_by(self) -> str:
        return "one per request or consumed event" if self.consumes else "one per request"

    def variables(self) -> dict[str, object]:
        return {
            "name": self.name,
            "Name": self.class_prefix,
            "package": self.package,
            "port": self.port,
            "priority": self.priority,
            "description": f"the {self.name} records, {self._made_by}",
            "consumes": self.consumes,
            "created": self.created.strftime("%Y-%m-%d %H:%M:%S.%f"),
        }
