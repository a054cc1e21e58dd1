"""The routing publisher: every envelope to the bus, point-to-point ones also to their queue."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.ids import uuid7
from bazaar_common.messaging.routing_publisher import RoutingPublisher


def envelope(event_type):
    return Envelope(
        id=uuid7(),
        type=event_type,
        source="bazaar.orders",
        time=datetime.now(UTC),
        subject="o1",
        version=1,
        data={},
    )


class Recorder:
    """A destination that records what it got and refuses the chosen types."""

    def __init__(self, name, refuse=(), short=False):
        self.name = name
        self.refuse = set(refuse)
        self.short = short
        self.received: list[list[str]] = []

    async def publish(self, envelopes):
        self.received.append([envelope.type for envelope in envelopes])
        answers = [
            f"{self.name}Refused: {envelope.type}" if envelope.type in self.refuse else None
            for envelope in envelopes
        ]
        return answers[:-1] if self.short else answers


async def test_the_bus_gets_every_envelope_and_each_queue_only_its_types_in_order():
    bus, inventory, payments = Recorder("Bus"), Recorder("Inventory"), Recorder("Payments")
    router = RoutingPublisher(
        bus, {"ReserveStock": inventory, "CommitStock": inventory, "CapturePayment": payments}
    )
    batch = ["OrderPlaced", "ReserveStock", "CapturePayment", "CommitStock", "OrderConfirmed"]

    results = await router.publish([envelope(name) for name in batch])

    assert results == [None] * 5
    assert bus.received == [batch]
    assert inventory.received == [["ReserveStock", "CommitStock"]]
    assert payments.received == [["CapturePayment"]]


async def test_a_failing_queue_fails_only_its_envelopes_in_their_places():
    bus, inventory, payments = (
        Recorder("Bus"),
        Recorder("Inventory", refuse={"CommitStock"}),
        Recorder("Payments"),
    )
    router = RoutingPublisher(
        bus, {"ReserveStock": inventory, "CommitStock": inventory, "CapturePayment": payments}
    )
    batch = ["ReserveStock", "OrderPlaced", "CommitStock", "CapturePayment"]

    results = await router.publish([envelope(name) for name in batch])

    assert results == [None, None, "InventoryRefused: CommitStock", None]


async def test_an_envelope_the_bus_refuses_fails_even_if_its_queue_took_it():
    bus, inventory = Recorder("Bus", refuse={"ReserveStock"}), Recorder("Inventory")
    router = RoutingPublisher(bus, {"ReserveStock": inventory})

    results = await router.publish([envelope("OrderPlaced"), envelope("ReserveStock")])

    # The relay sends the row again to both: the queue's consumer deduplicates.
    assert results == [None, "BusRefused: ReserveStock"]
    assert inventory.received == [["ReserveStock"]]


async def test_without_point_to_point_types_only_the_bus_is_called():
    bus, inventory = Recorder("Bus"), Recorder("Inventory")
    router = RoutingPublisher(bus, {"ReserveStock": inventory})

    assert await router.publish([envelope("OrderPlaced")]) == [None]
    assert inventory.received == []


async def test_a_destination_answering_the_wrong_count_raises():
    router = RoutingPublisher(Recorder("Bus"), {"ReserveStock": Recorder("Inventory", short=True)})

    with pytest.raises(RuntimeError, match="answered 0 of 1"):
        await router.publish([envelope("ReserveStock")])
