"""aiobotocore clients for EventBridge, SQS and S3, configured from settings.

Credentials come from the default chain (the ECS task role in AWS). With
``AWS_ENDPOINT_URL`` set (local, tests) the clients talk to that emulator.
Each API call is a client span (``observability.instrument_aws_client``).
"""

from __future__ import annotations

import os
from contextlib import AsyncExitStack
from typing import Any

from aiobotocore.config import AioConfig
from aiobotocore.session import get_session

from bazaar_common.observability import instrument_aws_client
from bazaar_common.settings import ServiceSettings

# Bounded everywhere: connect and read timeouts, and adaptive client-side
# retries with backoff (botocore's, capped at 4 attempts).
CLIENT_CONFIG = AioConfig(
    connect_timeout=2,
    read_timeout=25,  # above the 20 s SQS long poll
    retries={"max_attempts": 4, "mode": "adaptive"},
    max_pool_connections=32,
)


async def open_client(name: str, settings: ServiceSettings, stack: AsyncExitStack) -> Any:
    """One instrumented client of AWS service ``name`` that closes with ``stack``."""
    options: dict[str, Any] = {"region_name": settings.aws_region, "config": CLIENT_CONFIG}
    if settings.aws_endpoint_url:
        options["endpoint_url"] = settings.aws_endpoint_url
    client = await stack.enter_async_context(get_session().create_client(name, **options))
    instrument_aws_client(client)
    return client


async def open_operator_client(name: str, stack: AsyncExitStack) -> Any:
    """A client for a command an operator runs (DLQ, replay, rebuild): no service settings.

    Endpoint, region and credentials from the AWS variables the CLI reads;
    ``AWS_REGION`` first, as ECS and Lambda set it.
    """
    region = os.environ.get("AWS_REGION", os.environ.get("AWS_DEFAULT_REGION", "eu-west-1"))
    options: dict[str, Any] = {"region_name": region, "config": CLIENT_CONFIG}
    if os.environ.get("AWS_ENDPOINT_URL"):
        options["endpoint_url"] = os.environ["AWS_ENDPOINT_URL"]
    return await stack.enter_async_context(get_session().create_client(name, **options))


async def open_clients(settings: ServiceSettings, stack: AsyncExitStack) -> tuple[Any, Any]:
    """(events, sqs) clients that close with ``stack``."""
    return await open_client("events", settings, stack), await open_client("sqs", settings, stack)
