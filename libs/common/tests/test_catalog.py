from pathlib import Path

import pytest
from pydantic import ValidationError

from bazaar_common.catalog import discover, parse_entry

ENTRY = """
name: {name}
description: A service
package: bazaar_{name}
port: {port}
route: {{path_prefix: /{name}, priority: {priority}}}
database: {name}
resources: {{cpu: 256, memory: 512}}
"""


def write_service(root: Path, name: str, port: int, priority: int) -> None:
    folder = root / "services" / name / "src" / f"bazaar_{name}"
    folder.mkdir(parents=True)
    (folder / "service.yaml").write_text(ENTRY.format(name=name, port=port, priority=priority))


def test_discover_reads_every_service_sorted(tmp_path):
    write_service(tmp_path, "orders", 8002, 200)
    write_service(tmp_path, "billing", 8003, 300)
    entries = discover(tmp_path)
    assert [entry.name for entry in entries] == ["billing", "orders"]
    assert entries[1].route.path_prefix == "/orders"
    # Liveness, as the load balancer probes it: a database outage must not
    # take every task out of service (docs/runbook.md).
    assert entries[1].health_path == "/healthz"


@pytest.mark.parametrize(
    ("second_port", "second_priority", "clash"),
    [(8002, 300, "port"), (8003, 200, "route.priority")],
)
def test_discover_refuses_clashes(tmp_path, second_port, second_priority, clash):
    write_service(tmp_path, "orders", 8002, 200)
    write_service(tmp_path, "billing", second_port, second_priority)
    with pytest.raises(ValueError, match=clash):
        discover(tmp_path)


def test_unknown_field_is_refused():
    text = ENTRY.format(name="orders", port=8002, priority=1) + "replicas: 3\n"
    with pytest.raises(ValidationError, match="replicas"):
        parse_entry(text, "orders/service.yaml")


def test_bad_yaml_names_the_file():
    with pytest.raises(ValueError, match=r"orders/service\.yaml"):
        parse_entry("name: [unclosed", "orders/service.yaml")


@pytest.mark.parametrize("prefix", ["inventory", "/Inventory", "/inv/*", "/"])
def test_route_prefix_must_be_one_plain_segment(prefix):
    text = ENTRY.format(name="orders", port=8002, priority=1).replace("/orders", prefix)
    with pytest.raises(ValidationError):
        parse_entry(text, "orders/service.yaml")


def test_route_path_patterns_are_the_prefix_and_everything_under_it():
    entry = parse_entry(ENTRY.format(name="orders", port=8002, priority=1), "orders/service.yaml")
    assert entry.route.path_patterns == ["/orders", "/orders/*"]
