"""The message topology, derived from the service catalog and nothing else.

One bus; for every service that consumes events, one SQS queue with a DLQ
and one EventBridge rule. Every type travels on the bus, which is the record
of all messages (audit, the archive). A type that its consumer receives point
to point (``events.consumes_point_to_point``) is also sent by its publisher's
relay straight to that one consumer's queue; that consumer's rule then leaves
it out, except when an archive replays it (docs/adr/0017). Terraform, the
local bootstrap and the consumers all compute names and patterns here the
same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bazaar_common.catalog import ServiceEntry


@dataclass(frozen=True)
class QueueSpec:
    service: str
    queue_name: str
    dlq_name: str
    rule_name: str
    detail_types: tuple[str, ...]
    """Every type the service consumes, however it arrives."""
    max_receive_count: int
    visibility_timeout_seconds: int
    point_to_point_types: tuple[str, ...] = ()
    """The types sent straight to the queue by their publisher's relay."""

    @property
    def bus_types(self) -> tuple[str, ...]:
        """The types the service's rule takes off the bus as they are published."""
        return tuple(name for name in self.detail_types if name not in self.point_to_point_types)

    @property
    def event_pattern(self) -> dict[str, Any]:
        """The rule's pattern: its bus types, and its point-to-point types only when replayed.

        A point-to-point type reaches the queue from the relay, so the rule
        must not deliver it a second time; but a replay of the bus's archive
        (a restore, docs/disaster-recovery.md) only reaches rules, and
        EventBridge marks replayed events with ``replay-name``.
        """
        from_bus = {"detail-type": sorted(self.bus_types)}
        if not self.point_to_point_types:
            return from_bus
        replayed = {
            "detail-type": sorted(self.point_to_point_types),
            "replay-name": [{"exists": True}],
        }
        return {"$or": [from_bus, replayed]} if self.bus_types else replayed


@dataclass(frozen=True)
class Topology:
    bus_name: str
    queues: tuple[QueueSpec, ...]
    point_to_point: Mapping[str, str] = field(default_factory=dict)
    """Type -> the one service that receives it point to point."""
    prefix: str = "bazaar"
    """What every resource's name starts with (the bus's is the prefix itself)."""

    def queue_of(self, service: str) -> QueueSpec | None:
        return next((queue for queue in self.queues if queue.service == service), None)

    def consumers_of(self, event_type: str) -> list[str]:
        return [queue.service for queue in self.queues if event_type in queue.detail_types]

    def point_to_point_receivers(self, published: Iterable[str]) -> dict[str, str]:
        """Of the types one service publishes, those it sends point to point, and to whom."""
        return {
            name: self.point_to_point[name] for name in published if name in self.point_to_point
        }


def bus_name(prefix: str) -> str:
    return prefix


def queue_name(prefix: str, service: str) -> str:
    return f"{prefix}-{service}"


def queue_spec(entry: ServiceEntry, prefix: str) -> QueueSpec:
    return QueueSpec(
        service=entry.name,
        queue_name=queue_name(prefix, entry.name),
        dlq_name=f"{prefix}-{entry.name}-dlq",
        rule_name=f"{prefix}-to-{entry.name}",
        detail_types=tuple(sorted(set(entry.events.consumes))),
        max_receive_count=entry.events.max_receive_count,
        visibility_timeout_seconds=entry.events.visibility_timeout_seconds,
        point_to_point_types=tuple(sorted(set(entry.events.consumes_point_to_point))),
    )


def build_topology(entries: Iterable[ServiceEntry], prefix: str = "bazaar") -> Topology:
    entries = list(entries)
    published = {name for entry in entries for name in entry.events.publishes}
    for entry in entries:
        orphans = sorted(set(entry.events.consumes) - published)
        if orphans:
            raise ValueError(f"{entry.name} consumes {orphans}, which no service publishes")
    queues = tuple(queue_spec(entry, prefix) for entry in entries if entry.events.consumes)
    return Topology(
        bus_name=bus_name(prefix),
        queues=queues,
        point_to_point=point_to_point_receivers(entries),
        prefix=prefix,
    )


def point_to_point_receivers(entries: Iterable[ServiceEntry]) -> dict[str, str]:
    """Type -> its point-to-point receiver; a type with two, or without a publisher, is refused."""
    entries = list(entries)
    published = {name for entry in entries for name in entry.events.publishes}
    receivers: dict[str, str] = {}
    for entry in entries:
        for name in sorted(set(entry.events.consumes_point_to_point)):
            if name not in published:
                raise ValueError(
                    f"{entry.name} receives {name} point to point, but no service publishes it"
                )
            if name in receivers:
                raise ValueError(
                    f"{receivers[name]} and {entry.name} both receive {name} point to point: "
                    "a point-to-point type has exactly one receiver (others take it off the bus)"
                )
            receivers[name] = entry.name
    return dict(sorted(receivers.items()))
