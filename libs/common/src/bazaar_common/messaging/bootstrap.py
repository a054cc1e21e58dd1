"""Create the local AWS messaging resources from the service catalog.

    python -m bazaar_common.messaging.bootstrap [--root DIR]

Reads every ``services/*/src/*/service.yaml`` under ``--root`` (default: the
current folder), builds the topology and creates the bus, queues, DLQs,
rules and the event archive's bucket on ``AWS_ENDPOINT_URL`` (the moto
server locally). Running it again changes nothing. In AWS, Terraform creates
the same resources instead.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from contextlib import AsyncExitStack
from pathlib import Path

from aiobotocore.session import get_session

from bazaar_common.archive.bucket import archive_bucket_name, ensure_archive_bucket
from bazaar_common.catalog import discover
from bazaar_common.messaging.aws import CLIENT_CONFIG
from bazaar_common.messaging.provisioning import provision
from bazaar_common.messaging.topology import Topology, build_topology


def local_environment(topology: Topology) -> dict[str, str]:
    """What every local service process needs of what the bootstrap made.

    The whole point-to-point table (each relay uses the entries of the types
    it publishes) and the archive's bucket (audit writes it). In AWS,
    Terraform gives each task only its own.
    """
    return {
        "POINT_TO_POINT_RECEIVERS": json.dumps(dict(topology.point_to_point)),
        "EVENT_ARCHIVE_BUCKET": archive_bucket_name(topology.prefix),
    }


async def bootstrap(topology: Topology, *, endpoint_url: str, region: str) -> dict[str, str]:
    """The bus, queues and rules, and the archive bucket; each service's queue URL."""
    session = get_session()
    options = {"region_name": region, "endpoint_url": endpoint_url, "config": CLIENT_CONFIG}
    async with AsyncExitStack() as stack:
        events = await stack.enter_async_context(session.create_client("events", **options))
        sqs = await stack.enter_async_context(session.create_client("sqs", **options))
        s3 = await stack.enter_async_context(session.create_client("s3", **options))
        await ensure_archive_bucket(s3, archive_bucket_name(topology.prefix), region)
        return await provision(events, sqs, topology)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=Path.cwd())
    arguments = parser.parse_args(argv)
    endpoint_url = os.environ.get("AWS_ENDPOINT_URL")
    if not endpoint_url:
        print("bootstrap: set AWS_ENDPOINT_URL (the moto server); in AWS, Terraform does this")
        return 2
    topology = build_topology(
        discover(arguments.root), prefix=os.environ.get("RESOURCE_PREFIX", "bazaar")
    )
    region = os.environ.get("AWS_REGION", os.environ.get("AWS_DEFAULT_REGION", "eu-west-1"))
    urls = asyncio.run(bootstrap(topology, endpoint_url=endpoint_url, region=region))
    print(f"bootstrap: bus {topology.bus_name}, archive {archive_bucket_name(topology.prefix)}")
    for service, url in sorted(urls.items()):
        print(f"bootstrap: {service}: {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
