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
