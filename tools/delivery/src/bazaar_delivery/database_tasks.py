"""Every service's database bootstrap task: started at once, watched until it stops, judged.

Each task runs once (count 1, FARGATE, private subnets, no public IP),
started by ``bazaar-deploy`` so the console shows who ran it, with no
overrides: the task definition is all it gets, so nothing secret passes
through here. DescribeTasks asks about every task still running in one call,
first after a few seconds and then less and less often (at most every
``Polling.most_seconds``): the bootstrap takes seconds to a few minutes,
and ECS throttles DescribeTasks per account. A task still running when the
time limit (``--timeout``) passes is stopped, with the reason, and failed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

from bazaar_delivery.database_bootstrap_spec import BootstrapSpec, ServiceBootstrap
from bazaar_delivery.ecs_port import DESCRIBE_TASKS_BATCH, Ecs, EcsCallFailed
from bazaar_delivery.task_logs import log_locations
from bazaar_delivery.task_verdict import judge, task_id

STARTED_BY = "bazaar-deploy"

Report = Callable[[str], None]


@dataclass(frozen=True)
class Polling:
    """DescribeTasks after ``first_seconds``, then ``growth`` times later each time.

    The interval never exceeds ``most_seconds``: a task that ends late is
    still seen within that long.
    """

    first_seconds: float = 5.0
    growth: float = 1.5
    most_seconds: float = 20.0

    def intervals(self) -> Iterator[float]:
        interval = min(self.first_seconds, self.most_seconds)
        while True:
            yield interval
            interval = min(interval * self.growth, self.most_seconds)


DEFAULT_POLLING = Polling()


@dataclass
class _Running:
    bootstrap: ServiceBootstrap
    task_arn: str
    task_definition_arn: str
    last_status: str

    @property
    def service(self) -> str:
        return self.bootstrap.service


def run_task_request(spec: BootstrapSpec, bootstrap: ServiceBootstrap) -> dict[str, Any]:
    """The RunTask request of one service's bootstrap: its task definition's latest revision."""
    return {
        "cluster": spec.cluster,
        "taskDefinition": bootstrap.task_definition,
        "launchType": "FARGATE",
        "count": 1,
        "startedBy": STARTED_BY,
        "networkConfiguration": {
            "awsvpcConfiguration": {
                "subnets": list(spec.subnet_ids),
                "securityGroups": list(bootstrap.security_group_ids),
                # Private subnets: the image comes through the VPC's endpoints or NAT.
                "assignPublicIp": "DISABLED",
            }
        },
    }


async def run_bootstrap_tasks(
    spec: BootstrapSpec,
    ecs: Ecs,
    *,
    time_limit: float,
    report: Report,
    polling: Polling = DEFAULT_POLLING,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> dict[str, bool]:
    """Each catalog service of the spec and whether its bootstrap task exited 0."""
    outcomes = {bootstrap.service: False for bootstrap in spec.tasks}
    started = await asyncio.gather(
        *(_start(ecs, spec, bootstrap, report) for bootstrap in spec.tasks)
    )
    running = {entry.task_arn: entry for entry in started if entry is not None}
    deadline = clock() + time_limit
    intervals = polling.intervals()
    while running:
        remaining = deadline - clock()
        if remaining <= 0:
            break
        await sleep(min(next(intervals), remaining))
        try:
            tasks = await _describe(ecs, spec.cluster, list(running))
        except EcsCallFailed as error:
            # The client has retried already; the tasks run on regardless,
            # so ask again at the next interval, until the time limit.
            report(f"could not see the bootstrap tasks, asking again: {error}")
            continue
        for task in tasks:
            entry = running.get(task.get("taskArn", ""))
            if entry is None:
                continue
            entry.last_status = task.get("lastStatus", entry.last_status)
            if entry.last_status == "STOPPED":
                del running[entry.task_arn]
                outcomes[entry.service] = await _judged(ecs, entry, task, report)
    for entry in running.values():
        await _stop_late(ecs, spec.cluster, entry, time_limit, report)
    return outcomes


async def _start(
    ecs: Ecs, spec: BootstrapSpec, bootstrap: ServiceBootstrap, report: Report
) -> _Running | None:
    service, family = bootstrap.service, bootstrap.task_definition
    try:
        answer = await ecs.run_task(run_task_request(spec, bootstrap))
    except EcsCallFailed as error:
        report(f"{service}: database bootstrap FAILED to start {family}: {error}")
        return None
    failures = answer.get("failures") or []
    tasks = answer.get("tasks") or []
    # count is 1: either the task started or ECS says why not (RESOURCE:ENI, ...).
    if failures or len(tasks) != 1:
        why = "; ".join(_failure(failure) for failure in failures)
        report(
            f"{service}: database bootstrap FAILED to start {family}: "
            f"{why or f'RunTask started {len(tasks)} tasks'}"
        )
        return None
    task = tasks[0]
    entry = _Running(
        bootstrap=bootstrap,
        task_arn=task["taskArn"],
        task_definition_arn=task.get("taskDefinitionArn", family),
        last_status=task.get("lastStatus", "PROVISIONING"),
    )
    revision = entry.task_definition_arn.rsplit("/", 1)[-1]
    report(f"{service}: started {revision} (task {task_id(entry.task_arn)})")
    return entry


async def _describe(ecs: Ecs, cluster: str, task_arns: list[str]) -> list[dict[str, Any]]:
    described: list[dict[str, Any]] = []
    for start in range(0, len(task_arns), DESCRIBE_TASKS_BATCH):
        answer = await ecs.describe_tasks(cluster, task_arns[start : start + DESCRIBE_TASKS_BATCH])
        # A task just started may be MISSING for a moment (ECS is eventually
        # consistent): it stays running here and is asked about again.
        described += answer.get("tasks") or []
    return described


async def _judged(ecs: Ecs, entry: _Running, task: dict[str, Any], report: Report) -> bool:
    verdict = judge(task)
    tid = task_id(entry.task_arn)
    if verdict.succeeded:
        report(
            f"{entry.service}: database bootstrap succeeded (task {tid}: every container exited 0)"
        )
        return True
    report(f"{entry.service}: database bootstrap FAILED (task {tid})")
    for line in [*verdict.details, *await _logs(ecs, entry, tid)]:
        report(f"{entry.service}:   {line}")
    return False


async def _stop_late(
    ecs: Ecs, cluster: str, entry: _Running, time_limit: float, report: Report
) -> None:
    tid = task_id(entry.task_arn)
    reason = f"bazaar-deploy: the database bootstrap did not finish within {time_limit:g} s"
    report(
        f"{entry.service}: database bootstrap FAILED: still {entry.last_status} "
        f"after {time_limit:g} s (task {tid})"
    )
    try:
        await ecs.stop_task(cluster, entry.task_arn, reason)
        report(f"{entry.service}:   stopped it ({reason})")
    except EcsCallFailed as error:
        report(f"{entry.service}:   could not stop it: {error}")
    for line in await _logs(ecs, entry, tid):
        report(f"{entry.service}:   {line}")


async def _logs(ecs: Ecs, entry: _Running, tid: str) -> list[str]:
    try:
        definition = await ecs.describe_task_definition(entry.task_definition_arn)
    except EcsCallFailed as error:
        return [f"logs: unknown, the task definition could not be read: {error}"]
    return log_locations(definition, tid) or ["logs: the task definition has no containers"]


def _failure(failure: dict[str, Any]) -> str:
    reason = failure.get("reason") or "no reason given"
    return f"{reason} ({failure['detail']})" if failure.get("detail") else reason
