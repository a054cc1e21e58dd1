"""The few ECS calls ``database-bootstrap`` makes, as a port.

Answers are ECS's own response documents (the API's JSON as botocore parses
it), so the code that reads them is the code that runs against AWS; the
unit tests answer with documents of the same shape. ``aws_ecs`` is the real
adapter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

# The most ARNs or names one DescribeTasks / DescribeServices call takes.
DESCRIBE_TASKS_BATCH = 100
DESCRIBE_SERVICES_BATCH = 10


class EcsCallFailed(RuntimeError):
    """An ECS call failed after the client's retries; the message names the call."""

    def __init__(self, operation: str, message: str) -> None:
        super().__init__(f"{operation}: {message}")
        self.operation = operation


class Ecs(Protocol):
    async def run_task(self, request: Mapping[str, Any]) -> dict[str, Any]:
        """RunTask with this request document; its response (``tasks``, ``failures``)."""
        ...

    async def describe_tasks(self, cluster: str, task_arns: Sequence[str]) -> dict[str, Any]:
        """DescribeTasks of at most DESCRIBE_TASKS_BATCH tasks (``tasks``, ``failures``)."""
        ...

    async def stop_task(self, cluster: str, task_arn: str, reason: str) -> None: ...

    async def describe_task_definition(self, task_definition: str) -> dict[str, Any]:
        """The ``taskDefinition`` document of a family, family:revision or ARN."""
        ...

    async def describe_services(self, cluster: str, services: Sequence[str]) -> dict[str, Any]:
        """DescribeServices of at most DESCRIBE_SERVICES_BATCH (``services``, ``failures``)."""
        ...

    async def force_new_deployment(self, cluster: str, service: str) -> None:
        """UpdateService with forceNewDeployment: the same task definition, started afresh."""
        ...
