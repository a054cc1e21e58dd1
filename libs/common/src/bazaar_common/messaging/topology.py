"""The message topology, derived from the service catalog and nothing else.

One bus; for every service that consumes events, one SQS queue with a DLQ
and one EventBridge rule matching the detail-types it consumes. Terraform,
the local bootstrap and the consumers all compute names here the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bazaar_common.catalog import ServiceEntry


@dataclass(frozen=True)
class QueueSpec:
    service: str
    queue_name: str
    dlq_name: str
    rule_name: str
    detail_types: tuple[str, ...]
    max_receive_count: int
    visibility_timeout_seconds: int


@dataclass(frozen=True)
class Topology:
    bus_name: str
    queues: tuple[QueueSpec, ...]

    def queue_of(self, service: str) -> QueueSpec | None:
        return next((queue for queue in self.queues if queue.service == service), None)

    def consumers_of(self, event_type: str) -> list[str]:
        return [queue.service for queue in self.queues if event_type in queue.detail_types]


def bus_name(prefix: str) -> str:
    return prefix


def queue_spec(entry: ServiceEntry, prefix: str) -> QueueSpec:
    return QueueSpec(
        service=entry.name,
        queue_name=f"{prefix}-{entry.name}",
        dlq_name=f"{prefix}-{entry.name}-dlq",
        rule_name=f"{prefix}-to-{entry.name}",
        detail_types=tuple(sorted(set(entry.events.consumes))),
        max_receive_count=entry.events.max_receive_count,
        visibility_timeout_seconds=entry.events.visibility_timeout_seconds,
    )


def build_topology(entries: Iterable[ServiceEntry], prefix: str = "bazaar") -> Topology:
    entries = list(entries)
    published = {name for entry in entries for name in entry.events.publishes}
    for entry in entries:
        orphans = sorted(set(entry.events.consumes) - published)
        if orphans:
            raise ValueError(f"{entry.name} consumes {orphans}, which no service publishes")
    queues = tuple(queue_spec(entry, prefix) for entry in entries if entry.events.consumes)
    return Topology(bus_name=bus_name(prefix), queues=queues)
