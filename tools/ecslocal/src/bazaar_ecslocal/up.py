"""Bring the applied platform up on Docker, in the order a deploy brings it up on AWS.

1. The database stand-in, with the master user of Aurora's managed secret.
2. Every service's database bootstrap task, to completion (exit 0).
3. Every ECS service's desired count of tasks, each from its task definition,
   its secrets read from Secrets Manager as the ECS agent reads them.
4. The gateway from the listener rules, once each task passes its target
   group's health check.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from bazaar_ecslocal import aurora, docker, emulator, gateway, wiring
from bazaar_ecslocal.model import Platform, ServiceSpec, TaskDefinition
from bazaar_ecslocal.readback import read_platform
from bazaar_ecslocal.secret_values import resolve
from bazaar_ecslocal.tasks import (
    Placement,
    RunningTask,
    TaskFailed,
    start_task,
    wait_exited,
    wait_up,
)

T = TypeVar("T")

# What the ECS agent gives every container of a task with a task role: its
# credentials. moto takes any; these are its documented fake ones.
TASK_ROLE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


async def together(work: Iterable[Coroutine[Any, Any, T]]) -> list[T]:
    """Every coroutine at once; the first failure cancels the rest and is raised itself.

    A TaskGroup, not gather: the others are cancelled and waited for before
    the caller goes on (and closes the clients they use), and the error is
    the one that happened, not an ExceptionGroup.
    """
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(coroutine) for coroutine in work]
    except BaseExceptionGroup as failures:
        raise first_error(failures) from None
    return [task.result() for task in tasks]


def first_error(failures: BaseExceptionGroup[BaseException]) -> BaseException:
    error: BaseException = failures
    while isinstance(error, BaseExceptionGroup):
        error = error.exceptions[0]
    return error


class WiringError(RuntimeError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("the platform is not wired right:\n  " + "\n  ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Options:
    moto_url: str
    region: str
    network: str
    run: str
    gateway_port: int
    postgres_image: str
    gateway_image: str
    state_directory: Path
    timeout: float = 300


@dataclass(frozen=True)
class Summary:
    gateway_url: str
    tasks: dict[str, int]  # ECS service -> tasks running
    skipped: dict[str, str]  # container -> why it is not run


async def _environments(
    task: TaskDefinition, secretsmanager: Any, say: Callable[[str], None]
) -> dict[str, dict[str, str]]:
    """Each container's environment; a sidecar whose image is not here is left out."""
    found: dict[str, dict[str, str]] = {}
    for container in task.containers:
        if not await docker.has_image(container.image):
            if container.essential:
                raise TaskFailed(
                    f"{task.label}: image {container.image} of essential container "
                    f"{container.name} is not on this Docker engine"
                )
            say(f"  {task.label}: {container.name} not run: {container.image} is not here")
            continue
        environment = dict(container.environment)
        for variable, value_from in container.secrets:
            environment[variable] = await resolve(secretsmanager, value_from)
        found[container.name] = environment
    return found


def _aliases(platform: Platform, service: ServiceSpec) -> tuple[str, ...]:
    groups = [platform.target_group(item.target_group_arn).alias for item in service.load_balancing]
    return (*service.dns_names, *groups)


async def _run_service(
    platform: Platform,
    service: ServiceSpec,
    options: Options,
    secretsmanager: Any,
    say: Callable[[str], None],
) -> list[RunningTask]:
    environments = await _environments(service.task, secretsmanager, say)
    placements = [
        Placement(
            name=f"{options.run}-{service.name}-{number}",
            run=options.run,
            network=options.network,
            aliases=_aliases(platform, service),
            provided=TASK_ROLE_CREDENTIALS,
        )
        for number in range(1, service.desired_count + 1)
    ]
    running = await together(
        start_task(service.task, placement, environments, within=options.timeout)
        for placement in placements
    )
    await together(wait_up(task, within=options.timeout) for task in running)
    say(f"{service.name}: {len(running)} tasks of {service.task.label} up")
    return list(running)


async def _bootstrap(
    platform: Platform, options: Options, secretsmanager: Any, say: Callable[[str], None]
) -> None:
    async def one(index: int) -> None:
        one_off = platform.one_off_tasks[index]
        environments = await _environments(one_off.task, secretsmanager, say)
        placement = Placement(
            # A name of its own each time: a one-off task can be run again.
            name=f"{options.run}-{one_off.task.family}-{secrets.token_hex(3)}",
            run=options.run,
            network=options.network,
            aliases=(),
            provided=TASK_ROLE_CREDENTIALS,
        )
        running = await start_task(one_off.task, placement, environments, within=options.timeout)
        await wait_exited(running, within=options.timeout)
        for name in running.started.values():
            for line in (await docker.logs_tail(name, lines=200)).splitlines():
                say(f"  {line}")
        # Gone once stopped, as an ECS task is; a failed one stays for its logs.
        await docker.docker("rm", "-f", placement.name, *running.started.values())
        say(f"{one_off.task.label}: exited 0")

    await together(one(index) for index in range(len(platform.one_off_tasks)))


async def _check_targets(
    platform: Platform, running: list[RunningTask], gateway_name: str, within: float
) -> None:
    """Every task passes its target group's health check, asked as the load balancer asks."""
    deadline = asyncio.get_running_loop().time() + within
    by_family = {service.task.family: service for service in platform.services}
    for task in running:
        service = by_family[task.task.family]
        for registration in service.load_balancing:
            group = platform.target_group(registration.target_group_arn)
            url = gateway.health_url(group, task.placement.name)
            while (status := await gateway.probe(gateway_name, url)) != 200:
                if asyncio.get_running_loop().time() > deadline:
                    raise TaskFailed(
                        f"{task.placement.name}: target group {group.name}'s health check "
                        f"{url} answers {status or 'nothing'}"
                    )
                await asyncio.sleep(1)


async def bootstrap_again(
    options: Options, database_bootstrap: dict[str, Any], say: Callable[[str], None] = print
) -> None:
    """Only the database bootstrap tasks, against the database an earlier ``up`` started."""
    platform = await read_platform(options.moto_url, options.region, database_bootstrap)
    async with emulator.client(
        "secretsmanager", options.moto_url, options.region
    ) as secretsmanager:
        await _bootstrap(platform, options, secretsmanager, say)


async def up(
    options: Options, database_bootstrap: dict[str, Any], say: Callable[[str], None] = print
) -> Summary:
    platform = await read_platform(options.moto_url, options.region, database_bootstrap)
    problems = wiring.problems(platform)
    if problems:
        raise WiringError(problems)
    say(
        f"read {len(platform.services)} services, {len(platform.rules)} listener rules and "
        f"{len(platform.one_off_tasks)} database bootstrap tasks from {options.moto_url}"
    )
    async with emulator.client(
        "secretsmanager", options.moto_url, options.region
    ) as secretsmanager:
        await aurora.start(
            platform.database,
            secretsmanager,
            name=f"{options.run}-database",
            run=options.run,
            network=options.network,
            image=options.postgres_image,
        )
        say(f"database stand-in up as {', '.join(platform.database.endpoints)}")
        await _bootstrap(platform, options, secretsmanager, say)
        running = [
            task
            for tasks in await together(
                _run_service(platform, service, options, secretsmanager, say)
                for service in platform.services
            )
            for task in tasks
        ]
    gateway_name = f"{options.run}-gateway"
    url = await gateway.start(
        platform,
        name=gateway_name,
        run=options.run,
        network=options.network,
        image=options.gateway_image,
        port=options.gateway_port,
        folder=options.state_directory / "gateway",
    )
    await _check_targets(platform, running, gateway_name, options.timeout)
    await gateway.wait_routed(platform, url, within=options.timeout)
    say(f"gateway (the load balancer's {len(platform.rules)} rules) on {url}")
    skipped = {
        f"{task.placement.name}-{container}": why
        for task in running
        for container, why in task.skipped.items()
    }
    tasks: dict[str, int] = {}
    for task in running:
        service = next(s for s in platform.services if s.task.family == task.task.family)
        tasks[service.name] = tasks.get(service.name, 0) + 1
    return Summary(gateway_url=url, tasks=tasks, skipped=skipped)
