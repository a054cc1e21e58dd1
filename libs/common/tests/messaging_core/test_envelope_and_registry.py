from datetime import UTC, datetime
from typing import ClassVar
from uuid import UUID, uuid4

import pytest
from pydantic import ValidationError

from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import (
    Event,
    EventRegistry,
    MalformedEvent,
    UnknownEventType,
)
from bazaar_common.messaging.ids import uuid7
from bazaar_common.messaging.outbox import envelope_of
from bazaar_common.messaging.trace_context import continued_trace, current_traceparent

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


class ParcelShipped(Event):
    event_type: ClassVar[str] = "ParcelShipped"
    subject_field: ClassVar[str] = "parcel_id"

    parcel_id: UUID
    weight_grams: int


class ParcelShippedV2(ParcelShipped):
    event_version: ClassVar[int] = 2

    carrier: str


def test_uuid7_is_version_7_and_ordered_by_time():
    early, late = uuid7(now_ms=1_000), uuid7(now_ms=2_000)
    assert early.version == late.version == 7
    assert early.variant == "specified in RFC 4122"
    assert early < late
    assert len({uuid7() for _ in range(1_000)}) == 1_000


def test_envelope_of_an_event_carries_its_identity_and_data():
    parcel = uuid4()
    envelope = envelope_of(ParcelShipped(parcel_id=parcel, weight_grams=500), source="bazaar.post")
    assert envelope.type == "ParcelShipped"
    assert envelope.version == 1
    assert envelope.subject == str(parcel)
    assert envelope.source == "bazaar.post"
    assert envelope.id.version == 7
    assert envelope.data == {"parcel_id": str(parcel), "weight_grams": 500}
    assert envelope.time.tzinfo is not None


def test_envelope_takes_the_current_trace_context():
    with continued_trace(TRACEPARENT):
        envelope = envelope_of(
            ParcelShipped(parcel_id=uuid4(), weight_grams=1), source="bazaar.post"
        )
    assert envelope.traceparent is not None
    assert envelope.traceparent.split("-")[1] == TRACEPARENT.split("-")[1]
    assert current_traceparent() is None  # the context does not leak out


def envelope(**changes) -> Envelope:
    values = {
        "id": uuid7(),
        "type": "ParcelShipped",
        "source": "bazaar.post",
        "time": datetime.now(UTC),
        "subject": "p-1",
        "version": 1,
        "data": {"parcel_id": str(uuid4()), "weight_grams": 10},
    }
    values.update(changes)
    return Envelope.model_validate(values)


def test_registry_parses_each_version_into_its_own_type():
    registry = EventRegistry([ParcelShipped, ParcelShippedV2])
    assert isinstance(registry.parse(envelope()), ParcelShipped)
    v2 = registry.parse(
        envelope(version=2, data={"parcel_id": str(uuid4()), "weight_grams": 1, "carrier": "x"})
    )
    assert isinstance(v2, ParcelShippedV2)
    assert registry.type_names == {"ParcelShipped"}


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"type": "ParcelLost"}, UnknownEventType),
        ({"version": 3}, UnknownEventType),
        ({"data": {"parcel_id": "not-a-uuid", "weight_grams": 1}}, MalformedEvent),
        ({"data": {"parcel_id": str(uuid4())}}, MalformedEvent),
        ({"data": {"parcel_id": str(uuid4()), "weight_grams": 1, "extra": 1}}, MalformedEvent),
    ],
)
def test_registry_refuses_what_it_does_not_know(changes, error):
    with pytest.raises(error):
        EventRegistry([ParcelShipped]).parse(envelope(**changes))


@pytest.mark.parametrize(
    "changes",
    [
        {"type": "lowercase"},
        {"source": "elsewhere.post"},
        {"time": datetime(2030, 1, 1)},  # naive
        {"traceparent": "not-a-traceparent"},
        {"subject": ""},
        {"unexpected": 1},
    ],
)
def test_envelope_refuses_bad_fields(changes):
    with pytest.raises(ValidationError):
        envelope(**changes)


def test_registering_two_classes_for_one_type_and_version_is_refused():
    class Impostor(Event):
        event_type: ClassVar[str] = "ParcelShipped"
        subject_field: ClassVar[str] = "x"
        x: int

    with pytest.raises(ValueError, match="twice"):
        EventRegistry([ParcelShipped, Impostor])
