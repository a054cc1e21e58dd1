"""A point-to-point type: the relay puts it in its receiver's queue and on the bus, for audit.

The receiver's rule leaves the type out, so it arrives once; every other
subscriber (audit) still takes it off the bus; an archive replay reaches the
receiver through its rule.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from bazaar_common.messaging.delivery import parse_delivery
from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import Event, EventRegistry
from bazaar_common.messaging.provisioning import provision
from bazaar_common.messaging.relay_publisher import relay_publisher
from bazaar_common.messaging.topology import build_topology
from bazaar_common.testing.catalog import service_entry


class NoteAdded(Event):
    event_type = "NoteAdded"
    subject_field = "note_id"
    note_id: str
    text: str


@pytest.fixture
async def direct(moto_aws):
    """alpha receives NoteAdded point to point; audit takes every type off the bus."""
    topology = build_topology(
        [
            service_entry("notes", port=8101, publishes=["NoteAdded", "NoteArchived"]),
            service_entry(
                "alpha", port=8102, consumes=["NoteAdded"], consumes_point_to_point=["NoteAdded"]
            ),
            service_entry("audit", port=8104, consumes=["NoteAdded", "NoteArchived"]),
        ],
        prefix=f"t{uuid4().hex[:8]}",
    )
    queues = await provision(moto_aws.events, moto_aws.sqs, topology)
    publisher = await relay_publisher(
        moto_aws.events,
        moto_aws.sqs,
        prefix=topology.bus_name,
        published=["NoteAdded", "NoteArchived"],
        point_to_point_receivers=topology.point_to_point,
    )
    return topology, queues, publisher


def ids(bodies):
    return Counter(Envelope.model_validate(body["detail"]).id for body in bodies)


async def test_a_point_to_point_row_reaches_its_receiver_once_and_audit_too(
    direct, relays, write_notes, receive_all, outbox_rows
):
    _, queues, publisher = direct
    added = await write_notes(3)
    [archived] = await write_notes(archived=True)

    assert await relays.make(publisher).publish_pending() == 4

    alpha = await receive_all(queues["alpha"])
    # Straight from the relay, and not a second time through alpha's rule.
    assert ids(alpha) == Counter(envelope.id for envelope in added)
    for body in alpha:
        envelope, event = parse_delivery(json.dumps(body), EventRegistry([NoteAdded]))
        assert event.subject == envelope.subject
    assert ids(await receive_all(queues["audit"])) == Counter(
        envelope.id for envelope in [*added, archived]
    )
    rows = await outbox_rows()
    assert all(row["published_at"] is not None for row in rows)


async def test_an_unreachable_receiver_queue_keeps_the_row_for_a_later_pass(
    direct, moto_aws, relays, write_notes, receive_all, outbox_rows
):
    _, queues, publisher = direct
    await moto_aws.sqs.delete_queue(QueueUrl=queues["alpha"])
    [envelope] = await write_notes()

    assert await relays.make(publisher).publish_pending() == 0

    [row] = await outbox_rows()
    assert row["published_at"] is None
    assert row["attempts"] == 1
    assert row["last_error"]
    # The bus took it meanwhile: audit has it now and again after the retry.
    assert ids(await receive_all(queues["audit"])) == Counter([envelope.id])


async def test_a_replay_of_the_archive_reaches_the_receiver_through_its_rule(
    direct, moto_aws, relays, write_notes, receive_all
):
    topology, queues, publisher = direct
    events = moto_aws.events
    bus_arn = (await events.describe_event_bus(Name=topology.bus_name))["Arn"]
    archive = await events.create_archive(
        ArchiveName=f"{topology.bus_name}-a", EventSourceArn=bus_arn
    )
    [envelope] = await write_notes()
    assert await relays.make(publisher).publish_pending() == 1
    assert ids(await receive_all(queues["alpha"])) == Counter([envelope.id])

    now = datetime.now(UTC)
    await events.start_replay(
        ReplayName=f"{topology.bus_name}-r",
        EventSourceArn=archive["ArchiveArn"],
        EventStartTime=now - timedelta(minutes=5),
        EventEndTime=now + timedelta(minutes=5),
        Destination={"Arn": bus_arn},
    )

    assert ids(await receive_all(queues["alpha"])) == Counter([envelope.id])
