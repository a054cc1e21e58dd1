import pytest
from pydantic import ValidationError

from bazaar_common.messaging.topology import build_topology, point_to_point_receivers
from bazaar_common.testing.catalog import service_entry


def test_a_queue_per_consuming_service_named_from_the_prefix():
    topology = build_topology(
        [
            service_entry(
                "orders", port=8002, publishes=["OrderPlaced"], consumes=["StockReserved"]
            ),
            service_entry(
                "inventory", port=8001, publishes=["StockReserved"], consumes=["OrderPlaced"]
            ),
            service_entry("quiet", port=8003, publishes=["Nothing"]),
        ],
        prefix="dev",
    )
    assert topology.bus_name == "dev"
    assert [q.service for q in topology.queues] == ["orders", "inventory"]
    orders = topology.queue_of("orders")
    assert orders is not None
    assert (orders.queue_name, orders.dlq_name, orders.rule_name) == (
        "dev-orders",
        "dev-orders-dlq",
        "dev-to-orders",
    )
    assert orders.detail_types == ("StockReserved",)
    assert topology.queue_of("quiet") is None
    assert topology.consumers_of("OrderPlaced") == ["inventory"]


def test_a_consumed_type_nobody_publishes_is_refused():
    with pytest.raises(ValueError, match="OrderShipped"):
        build_topology([service_entry("audit", port=8004, consumes=["OrderShipped"])])


def saga(*, inventory_direct=("ReserveStock",), audit_direct=()):
    return [
        service_entry("orders", port=8002, publishes=["OrderPlaced", "ReserveStock"]),
        service_entry(
            "inventory",
            port=8001,
            consumes=["OrderPlaced", "ReserveStock"],
            consumes_point_to_point=inventory_direct,
        ),
        service_entry(
            "audit",
            port=8004,
            consumes=["OrderPlaced", "ReserveStock"],
            consumes_point_to_point=audit_direct,
        ),
    ]


def test_a_point_to_point_type_has_its_receiver_and_leaves_its_rule_but_for_replays():
    topology = build_topology(saga())

    assert topology.point_to_point == {"ReserveStock": "inventory"}
    assert topology.point_to_point_receivers(["OrderPlaced", "ReserveStock"]) == {
        "ReserveStock": "inventory"
    }
    inventory = topology.queue_of("inventory")
    assert inventory is not None
    assert inventory.detail_types == ("OrderPlaced", "ReserveStock")
    assert inventory.bus_types == ("OrderPlaced",)
    assert inventory.event_pattern == {
        "$or": [
            {"detail-type": ["OrderPlaced"]},
            {"detail-type": ["ReserveStock"], "replay-name": [{"exists": True}]},
        ]
    }
    # Everyone else still takes it off the bus.
    audit = topology.queue_of("audit")
    assert audit is not None
    assert audit.event_pattern == {"detail-type": ["OrderPlaced", "ReserveStock"]}
    assert topology.consumers_of("ReserveStock") == ["inventory", "audit"]


def test_a_receiver_of_only_point_to_point_types_has_a_rule_for_replays_only():
    topology = build_topology(saga(inventory_direct=("OrderPlaced", "ReserveStock")))

    inventory = topology.queue_of("inventory")
    assert inventory is not None
    assert inventory.bus_types == ()
    assert inventory.event_pattern == {
        "detail-type": ["OrderPlaced", "ReserveStock"],
        "replay-name": [{"exists": True}],
    }


def test_two_point_to_point_receivers_of_one_type_are_refused():
    with pytest.raises(ValueError, match="inventory and audit both receive ReserveStock"):
        build_topology(saga(audit_direct=("ReserveStock",)))


def test_a_point_to_point_type_nobody_publishes_is_refused():
    entries = [
        service_entry(
            "inventory",
            port=8001,
            consumes=["ReserveStock"],
            consumes_point_to_point=["ReserveStock"],
        )
    ]
    with pytest.raises(ValueError, match="ReserveStock"):
        build_topology(entries)
    with pytest.raises(ValueError, match="receives ReserveStock point to point, but no service"):
        point_to_point_receivers(entries)


def test_a_point_to_point_type_must_be_consumed():
    with pytest.raises(ValidationError, match="consumes_point_to_point lists \\['CommitStock'\\]"):
        service_entry(
            "inventory", consumes=["ReserveStock"], consumes_point_to_point=["CommitStock"]
        )
