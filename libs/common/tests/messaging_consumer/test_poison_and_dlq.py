"""Poison reaches the DLQ without holding up the queue; the DLQ command sends it back."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import yaml

from bazaar_common.messaging.dlq import dead_letters
from bazaar_common.messaging.dlq.cli import main as dlq_main


async def test_poison_reaches_the_dlq_while_good_messages_flow_and_redrive_moves_it_back(
    db,
    moto_aws,
    make_bus,
    envelope,
    publish,
    eventbridge_body,
    consumers,
    record_effect,
    event_types,
    wait_until,
    queue_depth,
    caplog,
):
    caplog.set_level("INFO", logger="bazaar.messaging.consumer")
    sqs = moto_aws.sqs
    bus = await make_bus(max_receive_count=2)
    consumer = consumers.make(bus, {"ParcelPacked": record_effect})
    consumers.start(consumer)
    v2 = envelope(version=2, data={"parcel_id": "p-1", "items": 1, "box": "S"})
    unknown_type = eventbridge_body(envelope(type_="ParcelLost"))
    good = [envelope() for _ in range(6)]

    await publish(bus, *good[:2])
    await sqs.send_message(QueueUrl=bus.queue_url, MessageBody="{not json")
    await publish(bus, v2, *good[2:4])  # v2: routed by type, but no schema at that version
    await sqs.send_message(QueueUrl=bus.queue_url, MessageBody=unknown_type)
    await publish(bus, *good[4:])

    await wait_until(lambda: consumer.stats.acked == len(good))
    await wait_until(lambda: _depth_is(queue_depth, bus.dlq_url, 3), within=20)
    assert await db.effect_count() == len(good)
    assert sorted(await db.inbox_ids()) == sorted(item.id for item in good)
    assert consumer.stats.poison >= 3 * 2  # each seen maxReceiveCount times
    assert consumer.stats.failed == 0
    reasons = {
        record.reason
        for record in caplog.records
        if record.getMessage() == "poison message left for the DLQ" and record.message_id
    }
    assert reasons == {
        "body is not JSON",
        "no schema for ParcelPacked v2",
        "no schema for ParcelLost v1",
    }
    await wait_until(lambda: _depth_is(queue_depth, bus.queue_url, 0))

    # The DLQ holds exactly the poison.
    letters = await dead_letters.peek(sqs, bus.dlq_url)
    assert sorted(letter.body for letter in letters) == sorted(
        ["{not json", unknown_type, _body_of(letters, v2.id)]
    )
    assert {letter.detail_type for letter in letters} == {None, "ParcelLost", "ParcelPacked"}
    assert all(letter.receive_count >= 2 for letter in letters)
    assert await dead_letters.dlq_depth(sqs, bus.dlq_url) == 3  # peeking left them there

    # A consumer that knows v2 is deployed; the redrive hands it the v2 event.
    await consumer.stop(5)
    fixed = consumers.make(bus, {"ParcelPacked": record_effect}, types=event_types)
    v2_letter = next(letter for letter in letters if letter.event_id == str(v2.id))
    queues = dead_letters.Queues(bus.queue_url, bus.dlq_url)
    result = await dead_letters.redrive(sqs, queues, [v2_letter.message_id])
    assert (result.moved, result.not_found, result.failed) == ([v2_letter.message_id], [], {})
    consumers.start(fixed)
    await wait_until(lambda: fixed.stats.acked == 1)
    assert v2.id in await db.inbox_ids()

    await fixed.stop(5)
    result = await dead_letters.redrive(sqs, queues)
    assert len(result.moved) == 2
    assert await queue_depth(bus.dlq_url) == (0, 0)
    assert await queue_depth(bus.queue_url) == (2, 0)


async def test_the_dlq_command_lists_inspects_and_redrives(
    moto_aws,
    make_bus,
    envelope,
    eventbridge_body,
    queue_depth,
    moto_server,
    monkeypatch,
    tmp_path,
    capsys,
):
    sqs = moto_aws.sqs
    bus = await make_bus()
    lost = envelope(type_="ParcelLost")
    bodies = [eventbridge_body(lost), "garbage", eventbridge_body(envelope())]
    ids = [
        (await sqs.send_message(QueueUrl=bus.dlq_url, MessageBody=body))["MessageId"]
        for body in bodies
    ]
    _write_catalog(tmp_path, bus.entries)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server.url)
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("RESOURCE_PREFIX", bus.prefix)
    by_service = ["--service", "worker", "--root", str(tmp_path)]
    by_url = ["--dlq-url", bus.dlq_url, "--queue-url", bus.queue_url]

    assert await _cli("list", *by_service) == 0
    listing = capsys.readouterr().out
    assert f"{bus.prefix}-worker-dlq: 3 message(s)" in listing
    assert f"{ids[0]}  ParcelLost  {lost.id}  receives=" in listing
    assert f"{ids[1]}  -  -  receives=" in listing

    assert await _cli("inspect", *by_url, ids[0]) == 0
    shown = capsys.readouterr().out
    assert f"event id:      {lost.id}" in shown
    assert json.dumps(json.loads(bodies[0]), indent=2, sort_keys=True) in shown
    assert await _cli("inspect", *by_url, "no-such-id") == 1

    assert await _cli("redrive", *by_service, ids[1], "no-such-id") == 1
    out = capsys.readouterr().out
    assert f"moved      {ids[1]}" in out
    assert "not found  no-such-id" in out
    assert await queue_depth(bus.dlq_url) == (2, 0)

    assert await _cli("redrive", *by_url, "--all") == 0
    assert "redrove 2 message(s)" in capsys.readouterr().out
    assert await queue_depth(bus.dlq_url) == (0, 0)
    answer = await sqs.receive_message(
        QueueUrl=bus.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1
    )
    assert sorted(message["Body"] for message in answer["Messages"]) == sorted(bodies)

    assert await _cli("redrive", *by_url) == 2  # neither --all nor ids
    assert await _cli("list", "--service", "nobody", "--root", str(tmp_path)) == 2


async def _cli(*argv):
    # The command runs its own event loop, as it does from a shell.
    return await asyncio.to_thread(dlq_main, list(argv))


async def _depth_is(queue_depth, queue_url, expected):
    visible, in_flight = await queue_depth(queue_url)
    return visible + in_flight == expected


def _body_of(letters, event_id):
    return next(letter.body for letter in letters if letter.event_id == str(event_id))


def _write_catalog(root, entries):
    for entry in entries:
        folder = root / "services" / entry.name / "src" / entry.package
        folder.mkdir(parents=True)
        document = entry.model_dump(mode="json")
        (folder / "service.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")


def test_the_dlq_command_runs_as_a_module():
    """The runbook runs it as ``python -m bazaar_common.messaging.dlq``."""
    answer = subprocess.run(
        [sys.executable, "-m", "bazaar_common.messaging.dlq", "--help"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.startswith("usage: python -m bazaar_common.messaging.dlq")
