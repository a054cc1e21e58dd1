import pytest

from bazaar_common.messaging.topology import build_topology
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
