"""Replay a time window of the archive to one consumer's queue.

    python -m bazaar_common.archive.replay --consumer orders \\
        --since 2026-12-06T10:00:00Z --until 2026-12-06T11:00:00Z [--root .]

Every archived event timed in [since, until) of a type the consumer consumes
(its catalog entry, read from ``--root``) is sent to its queue,
``<RESOURCE_PREFIX>-<consumer>``, in time order within each day and type,
as EventBridge's rule would have delivered it. The consumer's inbox makes
it harmless: an event it handled before is acknowledged and skipped, one it
missed (lost, dead-lettered and purged, or handled by a database since
restored) is handled now. Nothing else receives anything.

The same in every environment (docs/adr/0021): in AWS with credentials
that may read the bucket and send to that one queue. The bucket comes from
``--bucket`` or ``EVENT_ARCHIVE_BUCKET``; the endpoint, region and
credentials from the usual AWS variables.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from contextlib import AsyncExitStack
from datetime import datetime
from pathlib import Path
from typing import Any

from bazaar_common.archive.store import ArchiveStore, archive_store_from_environment
from bazaar_common.catalog import ServiceEntry, discover
from bazaar_common.messaging.aws import open_operator_client
from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.sqs_sender import SqsSender
from bazaar_common.messaging.topology import queue_name

SEND_BATCH = 10  # SendMessageBatch's limit


class ReplayRefused(Exception):
    """Refused before anything was sent."""


async def replay(
    store: ArchiveStore,
    sqs: Any,
    queue_url: str,
    consumer: ServiceEntry,
    *,
    since: datetime,
    until: datetime,
) -> int:
    """Send the window's events of the consumer's types to its queue; how many."""
    sender = SqsSender(sqs, queue_url)
    sent = 0
    batch: list[Envelope] = []
    async for event in store.events(since=since, until=until, types=consumer.events.consumes):
        batch.append(event.envelope)
        if len(batch) == SEND_BATCH:
            sent += await _send(sender, batch)
            batch = []
    return sent + await _send(sender, batch)


async def _send(sender: SqsSender, batch: list[Envelope]) -> int:
    if not batch:
        return 0
    errors = [error for error in await sender.publish(batch) if error]
    if errors:
        raise RuntimeError(f"SendMessageBatch refused {len(errors)} entries: {errors[0]}")
    return len(batch)


def find_consumer(root: Path, name: str) -> ServiceEntry:
    entries = {entry.name: entry for entry in discover(root)}
    entry = entries.get(name)
    if entry is None:
        raise ReplayRefused(f"no service {name!r} in {root}: one of {', '.join(sorted(entries))}")
    if not entry.events.consumes:
        raise ReplayRefused(f"{name} consumes no events: it has no queue to replay to")
    return entry


def aware(text: str) -> datetime:
    """An ISO 8601 time with its offset; a time without one is refused."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO 8601 time, such as 2026-12-06T10:00:00Z"
        ) from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} has no UTC offset: add Z or +HH:MM")
    return moment


async def run(arguments: argparse.Namespace) -> int:
    consumer = find_consumer(arguments.root, arguments.consumer)
    if arguments.since >= arguments.until:
        raise ReplayRefused("--since must be before --until")
    prefix = os.environ.get("RESOURCE_PREFIX", "bazaar")
    async with AsyncExitStack() as clients:
        sqs = await open_operator_client("sqs", clients)
        name = queue_name(prefix, consumer.name)
        try:
            queue_url = (await sqs.get_queue_url(QueueName=name))["QueueUrl"]
        except sqs.exceptions.QueueDoesNotExist:
            raise ReplayRefused(f"no queue {name} (RESOURCE_PREFIX={prefix})") from None
        return await replay(
            await archive_store_from_environment(arguments.bucket, clients),
            sqs,
            queue_url,
            consumer,
            since=arguments.since,
            until=arguments.until,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bazaar_common.archive.replay", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--consumer", required=True, help="the service whose queue gets them")
    parser.add_argument("--since", required=True, type=aware, help="ISO 8601, inclusive")
    parser.add_argument("--until", required=True, type=aware, help="ISO 8601, exclusive")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the repository's root")
    parser.add_argument("--bucket", default=os.environ.get("EVENT_ARCHIVE_BUCKET"))
    arguments = parser.parse_args(argv)
    if not arguments.bucket:
        print("replay: give --bucket or set EVENT_ARCHIVE_BUCKET", file=sys.stderr)
        return 2
    try:
        sent = asyncio.run(run(arguments))
    except ReplayRefused as error:
        print(f"replay: {error}", file=sys.stderr)
        return 2
    print(
        f"replay: {sent} events of {arguments.since.isoformat()} to {arguments.until.isoformat()} "
        f"sent to {arguments.consumer}'s queue"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
