"""A scripted ECS behind bazaar_delivery's own port, on a clock the test moves.

Its answers are shaped as ECS's (DescribeTasks, DescribeServices, ...): the
code under test reads them exactly as it reads AWS's. Each task definition
family is scripted: how long its task runs, how its containers exit, or
how RunTask refuses it. Every document carries a secret-like value where
ECS could (overrides, the task definition's environment), so a test can
check none of it is ever printed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

from bazaar_common.testing.clock import FakeClock
from bazaar_delivery.ecs_port import DESCRIBE_SERVICES_BATCH, DESCRIBE_TASKS_BATCH, EcsCallFailed

ACCOUNT = "arn:aws:ecs:eu-west-1:123456789012"
SECRET = "postgresql://orders:hunter2-do-not-print@aurora:5432/orders"
CONTAINER = "database-bootstrap"


@dataclass
class ScriptedTask:
    """What one family's task does once started."""

    runs_for: float | None = 30.0  # seconds until STOPPED; None: it never ends
    exit_codes: dict[str, int | None] = field(default_factory=lambda: {CONTAINER: 0})
    container_reasons: dict[str, str] = field(default_factory=dict)
    stop_code: str = "EssentialContainerExited"
    stopped_reason: str = "Essential container in task exited"
    run_failure: dict[str, str] | None = None  # a RunTask failures entry instead of a task


@dataclass
class _Task:
    arn: str
    family: str
    started_at: float
    script: ScriptedTask
    stopped_by_caller: str | None = None


def service_document(
    name: str,
    *,
    desired: int = 2,
    running: int = 2,
    rollout: str = "COMPLETED",
    failed_tasks: int = 0,
    status: str = "ACTIVE",
) -> dict[str, Any]:
    """A DescribeServices ``services`` entry with one PRIMARY deployment."""
    return {
        "serviceName": name,
        "serviceArn": f"{ACCOUNT}:service/bazaar-dev/{name}",
        "status": status,
        "desiredCount": desired,
        "runningCount": running,
        "pendingCount": 0,
        "deployments": [
            {
                "id": f"ecs-svc/{name}-1",
                "status": "PRIMARY",
                "desiredCount": desired,
                "runningCount": running,
                "failedTasks": failed_tasks,
                "rolloutState": rollout,
                "rolloutStateReason": f"ECS deployment ecs-svc/{name}-1 {rollout.lower()}.",
            }
        ],
    }


class FakeEcs:
    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.scripts: dict[str, ScriptedTask] = {}
        self.services: dict[str, dict[str, Any]] = {}
        self.run_requests: list[dict[str, Any]] = []
        self.calls: list[str] = []  # operations in the order they were made
        self.described: list[list[str]] = []  # each DescribeTasks call's ARNs
        self.stopped: list[tuple[str, str]] = []  # (task ARN, reason)
        self.forced: list[str] = []
        self.failing: dict[str, int] = {}  # operation -> how many more calls fail
        self.missing_for_first_describes = 0  # DescribeTasks says MISSING this often first
        self.tasks: dict[str, _Task] = {}
        self._in_flight = 0
        self.most_in_flight = 0

    def _enter(self, operation: str) -> None:
        self.calls.append(operation)
        if self.failing.get(operation, 0) > 0:
            self.failing[operation] -= 1
            raise EcsCallFailed(operation, "ThrottlingException: Rate exceeded")

    async def run_task(self, request: Mapping[str, Any]) -> dict[str, Any]:
        self._in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self._in_flight)
        await asyncio.sleep(0)  # let the other starts begin: they are made at once
        self._in_flight -= 1
        self._enter("RunTask")
        self.run_requests.append(dict(request))
        family = request["taskDefinition"]
        script = self.scripts[family]
        if script.run_failure is not None:
            return {"tasks": [], "failures": [script.run_failure]}
        task = _Task(f"{ACCOUNT}:task/bazaar-dev/{uuid4().hex}", family, self.clock(), script)
        self.tasks[task.arn] = task
        return {"tasks": [self._document(task, "PROVISIONING")], "failures": []}

    async def describe_tasks(self, cluster: str, task_arns: Sequence[str]) -> dict[str, Any]:
        self._enter("DescribeTasks")
        assert 0 < len(task_arns) <= DESCRIBE_TASKS_BATCH
        self.described.append(list(task_arns))
        if self.missing_for_first_describes > 0:
            self.missing_for_first_describes -= 1
            return {"tasks": [], "failures": [{"arn": a, "reason": "MISSING"} for a in task_arns]}
        return {"tasks": [self._now(self.tasks[arn]) for arn in task_arns], "failures": []}

    async def stop_task(self, cluster: str, task_arn: str, reason: str) -> None:
        self._enter("StopTask")
        self.stopped.append((task_arn, reason))
        self.tasks[task_arn].stopped_by_caller = reason

    async def describe_task_definition(self, task_definition: str) -> dict[str, Any]:
        self._enter("DescribeTaskDefinition")
        family = task_definition.rsplit("/", 1)[-1].split(":")[0]
        names = self.scripts[family].exit_codes
        return {
            "family": family,
            "containerDefinitions": [
                {
                    "name": name,
                    "environment": [{"name": "DATABASE_URL", "value": SECRET}],
                    "logConfiguration": {
                        "logDriver": "awslogs",
                        "options": {
                            "awslogs-group": f"/bazaar/dev/{family}",
                            "awslogs-region": "eu-west-1",
                            "awslogs-stream-prefix": "database",
                        },
                    },
                }
                for name in names
            ],
        }

    async def describe_services(self, cluster: str, services: Sequence[str]) -> dict[str, Any]:
        self._enter("DescribeServices")
        assert 0 < len(services) <= DESCRIBE_SERVICES_BATCH
        return {
            "services": [self.services[name] for name in services if name in self.services],
            "failures": [
                {"arn": f"{ACCOUNT}:service/{name}", "reason": "MISSING"}
                for name in services
                if name not in self.services
            ],
        }

    async def force_new_deployment(self, cluster: str, service: str) -> None:
        self._enter("UpdateService")
        self.forced.append(service)

    def _now(self, task: _Task) -> dict[str, Any]:
        if task.stopped_by_caller is not None:
            return self._document(task, "STOPPED", stopped_reason=task.stopped_by_caller)
        runs_for = task.script.runs_for
        if runs_for is not None and self.clock() >= task.started_at + runs_for:
            return self._document(task, "STOPPED", stopped_reason=task.script.stopped_reason)
        return self._document(task, "RUNNING")

    def _document(
        self, task: _Task, status: str, stopped_reason: str | None = None
    ) -> dict[str, Any]:
        containers = []
        for name, exit_code in task.script.exit_codes.items():
            container: dict[str, Any] = {"name": name, "lastStatus": status}
            if status == "STOPPED" and exit_code is not None:
                container["exitCode"] = exit_code
            if status == "STOPPED" and name in task.script.container_reasons:
                container["reason"] = task.script.container_reasons[name]
            containers.append(container)
        document: dict[str, Any] = {
            "taskArn": task.arn,
            "taskDefinitionArn": f"{ACCOUNT}:task-definition/{task.family}:7",
            "lastStatus": status,
            "desiredStatus": "STOPPED" if status == "STOPPED" else "RUNNING",
            "containers": containers,
            "overrides": {
                "containerOverrides": [
                    {"name": CONTAINER, "environment": [{"name": "URL", "value": SECRET}]}
                ]
            },
        }
        if status == "STOPPED":
            document["stoppedReason"] = stopped_reason
            document["stopCode"] = (
                "UserInitiated" if task.stopped_by_caller else task.script.stop_code
            )
        return document
