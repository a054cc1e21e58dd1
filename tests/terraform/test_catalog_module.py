"""Terraform reads the catalog exactly as bazaar_common does, and derives the same topology."""

from __future__ import annotations

import json

import pytest
from tests.terraform.cli import REPOSITORY_ROOT, TERRAFORM_ROOT, init, outputs, terraform

from bazaar_common.catalog import discover
from bazaar_common.messaging.topology import build_topology

pytestmark = pytest.mark.slow

EXAMPLE = TERRAFORM_ROOT / "modules" / "catalog" / "examples" / "basic"
PREFIX = "bazaar-parity"


@pytest.fixture(scope="module")
def derived(tmp_path_factory):
    state = tmp_path_factory.mktemp("catalog") / "terraform.tfstate"
    init(EXAMPLE)
    terraform(
        EXAMPLE,
        "apply",
        "-auto-approve",
        "-input=false",
        f"-state={state}",
        f"-var=resource_prefix={PREFIX}",
    )
    return outputs(EXAMPLE, state)


def test_every_service_has_the_same_port_route_and_task_size(derived):
    entries = {entry.name: entry for entry in discover(REPOSITORY_ROOT)}
    assert set(derived["services"]) == set(entries)
    for name, entry in entries.items():
        service = derived["services"][name]
        assert service["port"] == entry.port
        assert service["path_patterns"] == entry.route.path_patterns
        assert service["priority"] == entry.route.priority
        assert service["health_path"] == entry.health_path
        assert service["database"] == entry.database
        assert (service["cpu"], service["memory"]) == (entry.resources.cpu, entry.resources.memory)
        assert (service["min_tasks"], service["max_tasks"]) == (
            entry.resources.min_tasks,
            entry.resources.max_tasks,
        )
        assert service["publishes"] == sorted(set(entry.events.publishes))


def test_the_topology_is_the_one_the_services_use(derived):
    topology = build_topology(discover(REPOSITORY_ROOT), prefix=PREFIX)
    assert derived["bus_name"] == topology.bus_name
    assert set(derived["queues"]) == {queue.service for queue in topology.queues}
    for spec in topology.queues:
        queue = derived["queues"][spec.service]
        assert queue["queue_name"] == spec.queue_name
        assert queue["dlq_name"] == spec.dlq_name
        assert queue["rule_name"] == spec.rule_name
        assert queue["detail_types"] == list(spec.detail_types)
        assert queue["point_to_point_types"] == list(spec.point_to_point_types)
        assert json.loads(queue["event_pattern"]) == spec.event_pattern
        assert queue["max_receive_count"] == spec.max_receive_count
        assert queue["visibility_timeout_seconds"] == spec.visibility_timeout_seconds


def test_point_to_point_routes_are_the_ones_the_relays_use(derived):
    entries = discover(REPOSITORY_ROOT)
    topology = build_topology(entries, prefix=PREFIX)
    assert derived["point_to_point"] == topology.point_to_point
    for entry in entries:
        sends = topology.point_to_point_receivers(entry.events.publishes)
        assert derived["sends_point_to_point"][entry.name] == sends, entry.name
