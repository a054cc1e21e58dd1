"""Code and catalog agree on events: what each service publishes and handles."""

from __future__ import annotations

import importlib

import pytest

from bazaar_common.catalog import discover
from bazaar_common.messaging.runtime import ServiceMessaging
from bazaar_common.messaging.topology import build_topology


@pytest.fixture(scope="module")
def entries(repository_root):
    return discover(repository_root)


def messaging_of(entry) -> ServiceMessaging:
    declared = getattr(importlib.import_module(f"{entry.package}.main"), "MESSAGING", None)
    assert isinstance(declared, ServiceMessaging), f"{entry.package}.main.MESSAGING missing"
    return declared


def test_each_service_handles_exactly_what_its_catalog_consumes(entries):
    for entry in entries:
        assert messaging_of(entry).consumed_types == set(entry.events.consumes), entry.name


def test_each_service_publishes_exactly_what_its_catalog_says(entries):
    for entry in entries:
        assert messaging_of(entry).published_types == set(entry.events.publishes), entry.name


def test_the_catalog_makes_a_topology_with_a_publisher_for_every_consumed_type(entries):
    topology = build_topology(entries)  # raises on a consumed type nobody publishes
    for queue in topology.queues:
        entry = next(e for e in entries if e.name == queue.service)
        assert set(queue.detail_types) == set(entry.events.consumes)


# Services that only read what the others publish: they may take a saga's
# reply off the bus, where it travels too, without slowing the saga.
READ_MODELS = {"audit", "history"}


def test_the_sagas_commands_and_the_replies_only_orders_awaits_go_point_to_point(entries):
    """Everything else (facts, replies only audit takes) stays on the bus alone: ADR 0017."""
    topology = build_topology(entries)
    assert topology.point_to_point == {
        "ReserveStock": "inventory",
        "ReleaseStock": "inventory",
        "CommitStock": "inventory",
        "CapturePayment": "payments",
        "RefundPayment": "payments",
        "StockReserved": "orders",
        "StockRejected": "orders",
        "PaymentCaptured": "orders",
        "PaymentDeclined": "orders",
    }
    for event_type, receiver in topology.point_to_point.items():
        others = set(topology.consumers_of(event_type)) - {receiver}
        assert others <= READ_MODELS, (
            f"{event_type} has other consumers {others}: keep it on the bus"
        )
        for reader in others:
            queue = topology.queue_of(reader)
            assert queue is not None
            assert event_type in queue.bus_types, f"{reader} never gets {event_type}"
