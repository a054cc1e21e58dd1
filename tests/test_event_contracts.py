"""The catalog and the contracts agree: who publishes each type, and that audit hears all."""

from __future__ import annotations

import pytest

import bazaar_contracts
from bazaar_common.catalog import discover


@pytest.fixture(scope="module")
def entries(repository_root):
    return {entry.name: entry for entry in discover(repository_root)}


# The contracts modules, each named after the service that publishes its types.
CONTRACTS_MODULES = {name for name in bazaar_contracts.__all__ if name != "ALL_EVENTS"}


def test_a_service_publishes_exactly_the_types_of_its_contracts_module(entries):
    for publisher in CONTRACTS_MODULES:
        module = getattr(bazaar_contracts, publisher)
        declared = {event_class.event_type for event_class in module.PUBLISHED}
        assert set(entries[publisher].events.publishes) == declared, publisher


def test_only_services_with_a_contracts_module_publish(entries):
    publishers = {name for name, entry in entries.items() if entry.events.publishes}
    assert publishers == CONTRACTS_MODULES
    assert {"orders", "inventory", "payments"} <= publishers


def test_the_audit_service_consumes_every_type_there_is(entries):
    every_type = {event_class.event_type for event_class in bazaar_contracts.ALL_EVENTS}
    assert set(entries["audit"].events.consumes) == every_type
