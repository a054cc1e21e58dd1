"""List, inspect and redrive a consumer's dead letters.

    python -m bazaar_common.messaging.dlq list    --service orders
    python -m bazaar_common.messaging.dlq inspect --service orders <message-id>
    python -m bazaar_common.messaging.dlq redrive --service orders --all
    python -m bazaar_common.messaging.dlq redrive --dlq-url URL --queue-url URL <id>...

Queue names come from the service's catalog entry (``--root``, default the
current folder) and ``RESOURCE_PREFIX``, as for the services themselves; or
give the URLs. ``AWS_ENDPOINT_URL`` and ``AWS_REGION`` are read like the
services read them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bazaar_common.catalog import discover
from bazaar_common.messaging.aws import open_operator_client
from bazaar_common.messaging.dlq import dead_letters
from bazaar_common.messaging.topology import queue_spec


class UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    target = argparse.ArgumentParser(add_help=False)
    target.add_argument("--service", help="the consuming service, as named in its catalog entry")
    target.add_argument("--root", type=Path, default=Path.cwd(), help="repository checkout")
    target.add_argument("--dlq-url", help="the DLQ, instead of --service")
    target.add_argument("--queue-url", help="its source queue (for redrive), instead of --service")
    target.add_argument("--limit", type=int, default=1_000, help="messages looked at, at most")

    parser = argparse.ArgumentParser(
        prog="python -m bazaar_common.messaging.dlq", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", parents=[target], help="count and one line per message")
    inspect = commands.add_parser("inspect", parents=[target], help="one message in full")
    inspect.add_argument("message_id")
    redrive = commands.add_parser("redrive", parents=[target], help="send back to the queue")
    redrive.add_argument("message_ids", nargs="*", metavar="message-id")
    redrive.add_argument("--all", action="store_true", help="every message in the DLQ")
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    if arguments.command == "redrive" and arguments.all == bool(arguments.message_ids):
        print("dlq: redrive takes either --all or message ids", file=sys.stderr)
        return 2
    try:
        return asyncio.run(_run(arguments))
    except UsageError as error:
        print(f"dlq: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # an unreachable endpoint, no such queue: one line, no trace
        print(f"dlq: {type(error).__name__}: {error}", file=sys.stderr)
        return 1


async def _run(arguments: argparse.Namespace) -> int:
    async with AsyncExitStack() as stack:
        sqs = await open_operator_client("sqs", stack)
        queues = await _queues(sqs, arguments)
        if arguments.command == "list":
            return await _list(sqs, queues, arguments.limit)
        if arguments.command == "inspect":
            return await _inspect(sqs, queues, arguments.message_id, arguments.limit)
        ids = None if arguments.all else arguments.message_ids
        return await _redrive(sqs, queues, ids, arguments.limit)


async def _queues(sqs: Any, arguments: argparse.Namespace) -> dead_letters.Queues:
    if arguments.dlq_url:
        return dead_letters.Queues(source_url=arguments.queue_url or "", dlq_url=arguments.dlq_url)
    if not arguments.service:
        raise UsageError("name a --service, or give --dlq-url")
    entry = next((e for e in discover(arguments.root) if e.name == arguments.service), None)
    if entry is None:
        raise UsageError(f"no service {arguments.service!r} in the catalog under {arguments.root}")
    if not entry.events.consumes:
        raise UsageError(f"{entry.name} consumes no events, so it has no queue")
    spec = queue_spec(entry, os.environ.get("RESOURCE_PREFIX", "bazaar"))
    source = await sqs.get_queue_url(QueueName=spec.queue_name)
    dead = await sqs.get_queue_url(QueueName=spec.dlq_name)
    return dead_letters.Queues(source_url=source["QueueUrl"], dlq_url=dead["QueueUrl"])


async def _list(sqs: Any, queues: dead_letters.Queues, limit: int) -> int:
    letters = await dead_letters.peek(sqs, queues.dlq_url, limit=limit)
    now = datetime.now(UTC)
    print(f"{_name(queues.dlq_url)}: {len(letters)} message(s)")
    for letter in letters:
        age = letter.age_seconds(now)
        print(
            f"{letter.message_id}  {letter.detail_type or '-'}  {letter.event_id or '-'}"
            f"  receives={letter.receive_count}  age={_duration(age)}"
        )
    return 0


async def _inspect(sqs: Any, queues: dead_letters.Queues, message_id: str, limit: int) -> int:
    letter = await dead_letters.find(sqs, queues.dlq_url, message_id, limit=limit)
    if letter is None:
        print(f"dlq: no message {message_id} in {_name(queues.dlq_url)}", file=sys.stderr)
        return 1
    print(f"message id:    {letter.message_id}")
    print(f"detail-type:   {letter.detail_type or '-'}")
    print(f"event id:      {letter.event_id or '-'}")
    print(f"receive count: {letter.receive_count}")
    print(f"sent at:       {letter.sent_at.isoformat() if letter.sent_at else '-'}")
    print(letter.pretty_body())
    return 0


async def _redrive(sqs: Any, queues: dead_letters.Queues, ids: list[str] | None, limit: int) -> int:
    if not queues.source_url:
        raise UsageError("redrive needs --queue-url with --dlq-url")
    result = await dead_letters.redrive(sqs, queues, ids, limit=limit)
    print(f"redrove {len(result.moved)} message(s) to {_name(queues.source_url)}")
    for message_id in result.moved:
        print(f"moved      {message_id}")
    for message_id in result.not_found:
        print(f"not found  {message_id}")
    for message_id, error in result.failed.items():
        print(f"failed     {message_id}: {error}")
    return 0 if not (result.failed or result.not_found) else 1


def _name(queue_url: str) -> str:
    return queue_url.rsplit("/", 1)[-1]


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    for unit, size in (("d", 86_400), ("h", 3_600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f}{unit}"
    return f"{seconds:.0f}s"
