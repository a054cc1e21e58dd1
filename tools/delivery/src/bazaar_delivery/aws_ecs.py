"""The ECS port on AWS (or an emulator): an aiobotocore client behind ``Ecs``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

from aiobotocore.config import AioConfig
from aiobotocore.session import get_session

from bazaar_delivery.ecs_port import Ecs, EcsCallFailed

# ECS throttles per account and the deploy polls for minutes: back off and
# retry inside the client, so one throttled call is not a failed deploy.
CLIENT_CONFIG = AioConfig(
    connect_timeout=5, read_timeout=30, retries={"max_attempts": 8, "mode": "adaptive"}
)


class AwsEcs:
    def __init__(self, client: Any) -> None:
        self._client = client

    async def _call(self, operation: str, **arguments: Any) -> dict[str, Any]:
        try:
            answer: dict[str, Any] = await getattr(self._client, operation)(**arguments)
        except Exception as error:
            # Whatever botocore raises (an AWS error, credentials, the network)
            # is this call's failure; botocore's exception types are not ours
            # to import (bazaar-delivery depends on aiobotocore only).
            raise EcsCallFailed(_operation_name(operation), _message(error)) from error
        return answer

    async def run_task(self, request: Mapping[str, Any]) -> dict[str, Any]:
        return await self._call("run_task", **request)

    async def describe_tasks(self, cluster: str, task_arns: Sequence[str]) -> dict[str, Any]:
        return await self._call("describe_tasks", cluster=cluster, tasks=list(task_arns))

    async def stop_task(self, cluster: str, task_arn: str, reason: str) -> None:
        await self._call("stop_task", cluster=cluster, task=task_arn, reason=reason)

    async def describe_task_definition(self, task_definition: str) -> dict[str, Any]:
        answer = await self._call("describe_task_definition", taskDefinition=task_definition)
        document: dict[str, Any] = answer["taskDefinition"]
        return document

    async def describe_services(self, cluster: str, services: Sequence[str]) -> dict[str, Any]:
        return await self._call("describe_services", cluster=cluster, services=list(services))

    async def force_new_deployment(self, cluster: str, service: str) -> None:
        await self._call(
            "update_service", cluster=cluster, service=service, forceNewDeployment=True
        )


@asynccontextmanager
async def aws_ecs(region: str, endpoint_url: str | None = None) -> AsyncIterator[Ecs]:
    # Credentials from the default chain: the deploy role in deploy.yml.
    options: dict[str, Any] = {"region_name": region, "config": CLIENT_CONFIG}
    if endpoint_url:
        options["endpoint_url"] = endpoint_url
    async with get_session().create_client("ecs", **options) as client:
        yield AwsEcs(client)


def _operation_name(method: str) -> str:
    return "".join(part.capitalize() for part in method.split("_"))


def _message(error: Exception) -> str:
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        detail = response.get("Error", {})
        return f"{detail.get('Code', 'error')}: {detail.get('Message') or error}"
    return f"{type(error).__name__}: {error}"
