"""The event schemas: one class per type, each naming its subject, each strict."""

from __future__ import annotations

from uuid import uuid4

import pytest
from pydantic import ValidationError

from bazaar_common.messaging.events import EventRegistry, MalformedEvent
from bazaar_common.messaging.outbox import envelope_of
from bazaar_contracts import ALL_EVENTS
from bazaar_contracts.fields import StockLine
from bazaar_contracts.orders import CapturePayment, ReserveStock

# The saga's modules: their events are each about an order. A service made
# by make new-service publishes events about its own records.
SAGA_MODULES = {"orders", "inventory", "payments"}


def test_every_type_name_is_defined_once():
    names = [event_class.event_type for event_class in ALL_EVENTS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("event_class", ALL_EVENTS, ids=lambda cls: cls.event_type)
def test_every_event_names_its_subject_and_the_saga_s_an_order(event_class):
    assert event_class.subject_field in event_class.model_fields
    if event_class.__module__.rsplit(".", 1)[-1] in SAGA_MODULES:
        assert event_class.subject_field == "order_id"


@pytest.mark.parametrize("event_class", ALL_EVENTS, ids=lambda cls: cls.event_type)
def test_every_type_s_example_is_valid_and_survives_its_envelope_and_the_registry(event_class):
    event = event_class.example(uuid4())

    envelope = envelope_of(event, source="bazaar.example")

    assert EventRegistry(ALL_EVENTS).parse(envelope) == event


def test_an_event_survives_its_envelope_and_the_registry():
    order_id = uuid4()
    command = ReserveStock(order_id=order_id, lines=(StockLine(sku="MUG-1", quantity=2),))
    envelope = envelope_of(command, source="bazaar.orders")
    assert envelope.subject == str(order_id)
    assert EventRegistry(ALL_EVENTS).parse(envelope) == command


def test_an_envelope_whose_data_breaks_the_schema_is_malformed():
    command = ReserveStock(order_id=uuid4(), lines=(StockLine(sku="MUG-1", quantity=1),))
    envelope = envelope_of(command, source="bazaar.orders")
    broken = envelope.model_copy(update={"data": {**envelope.data, "lines": [{"sku": "x"}]}})
    with pytest.raises(MalformedEvent):
        EventRegistry(ALL_EVENTS).parse(broken)


@pytest.mark.parametrize(
    "change",
    [
        {"amount_minor": -1},
        {"currency": "eur"},
        {"card_token": "4111111111111111"},
        {"unexpected": True},
    ],
    ids=["negative amount", "lower-case currency", "card number", "unknown field"],
)
def test_commands_refuse_values_outside_their_bounds(change):
    valid = {
        "order_id": uuid4(),
        "customer_id": "c-1",
        "amount_minor": 100,
        "currency": "EUR",
        "card_token": "tok_visa",
    }
    CapturePayment.model_validate(valid)
    with pytest.raises(ValidationError):
        CapturePayment.model_validate({**valid, **change})


@pytest.mark.parametrize(
    "lines",
    [
        [],
        [{"sku": "A", "quantity": 1}, {"sku": "A", "quantity": 2}],
        [{"sku": "A", "quantity": 10_001}],
        [{"sku": f"S{n}", "quantity": 1} for n in range(101)],
    ],
    ids=["no line", "a sku twice", "over the line limit", "over 100 lines"],
)
def test_a_stock_command_stays_within_what_inventory_accepts(lines):
    with pytest.raises(ValidationError):
        ReserveStock.model_validate({"order_id": uuid4(), "lines": lines})
