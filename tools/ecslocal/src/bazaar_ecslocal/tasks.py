"""One ECS task on Docker: its containers started in dependency order, watched as ECS watches them.

A dependency is met as ECS meets it: START once the container runs,
COMPLETE once it exited, SUCCESS once it exited 0, HEALTHY once its health
check passes. A task is up when its essential containers run and are healthy
(those with a health check); it has failed when an essential container
exits, or a dependency can no longer be met.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from bazaar_ecslocal import docker
from bazaar_ecslocal.container_args import holder_arguments, run_arguments
from bazaar_ecslocal.model import Condition, ContainerSpec, TaskDefinition

POLL_SECONDS = 0.5


class TaskFailed(RuntimeError):
    """A task did not come up (or, for a one-off task, did not exit 0); the message says why."""


@dataclass(frozen=True)
class Placement:
    """Where one task runs and what ECS would give its containers."""

    name: str  # the task's name here: <run>-<service>-<n>
    run: str
    network: str
    aliases: tuple[str, ...]
    provided: Mapping[str, str]  # what the ECS agent adds (credentials)


@dataclass
class RunningTask:
    placement: Placement
    task: TaskDefinition
    started: dict[str, str] = field(default_factory=dict)  # container -> docker name
    skipped: dict[str, str] = field(default_factory=dict)  # container -> why

    def docker_name(self, container: str) -> str:
        return f"{self.placement.name}-{container}"


def _memory_of(task: TaskDefinition, container: ContainerSpec) -> int | None:
    """A container's hard limit: its own, else the task's memory (Fargate's task limit)."""
    return container.memory_mib or task.memory_mib or None


async def _dependency_met(running: RunningTask, name: str, condition: Condition) -> bool:
    if name in running.skipped:
        if condition is Condition.START:
            return True
        raise TaskFailed(
            f"{running.placement.name}: waits on {name} ({condition}), which was skipped: "
            f"{running.skipped[name]}"
        )
    if name not in running.started:
        return False  # not started yet: its own dependencies come first
    state = await docker.state(running.started[name])
    if condition is Condition.START:
        return state.status in ("running", "exited")
    if condition is Condition.HEALTHY:
        if state.status == "exited":
            raise TaskFailed(f"{running.placement.name}: {name} exited before it was healthy")
        return state.health == "healthy"
    if state.status != "exited":
        return False
    if condition is Condition.SUCCESS and state.exit_code != 0:
        tail = await docker.logs_tail(running.started[name])
        raise TaskFailed(
            f"{running.placement.name}: {name} exited {state.exit_code}, the task stops\n{tail}"
        )
    return True


async def _start(
    running: RunningTask, container: ContainerSpec, environment: Mapping[str, str]
) -> None:
    name = running.docker_name(container.name)
    arguments = run_arguments(
        container,
        name=name,
        run=running.placement.run,
        network_of=running.placement.name,
        environment=environment,
        memory_mib=_memory_of(running.task, container),
    )
    await docker.docker("run", *arguments, environment=environment)
    running.started[container.name] = name


async def start_task(
    task: TaskDefinition,
    placement: Placement,
    environments: Mapping[str, Mapping[str, str]],
    *,
    within: float,
) -> RunningTask:
    """Starts every container once its dependencies are met; returns when all have started.

    ``environments``: each container's environment (variables and resolved
    secrets); a container missing from it is skipped (its image is not here).
    """
    running = RunningTask(placement, task)
    holder_image = next(c.image for c in task.containers if c.name in environments)
    await docker.docker(
        "run",
        *holder_arguments(
            name=placement.name,
            run=placement.run,
            network=placement.network,
            aliases=placement.aliases,
            image=holder_image,
        ),
    )
    for container in task.containers:
        if container.name not in environments:
            running.skipped[container.name] = "its image is not on this Docker engine"
    pending = [c for c in task.containers if c.name in environments]
    deadline = time.monotonic() + within
    while pending:
        for container in list(pending):
            checks = [
                await _dependency_met(running, dependency.container, dependency.condition)
                for dependency in container.depends_on
            ]
            if all(checks):
                await _start(
                    running, container, {**placement.provided, **environments[container.name]}
                )
                pending.remove(container)
        if pending:
            if time.monotonic() > deadline:
                waiting = ", ".join(container.name for container in pending)
                raise TaskFailed(f"{placement.name}: {waiting} still waiting after {within:.0f} s")
            await asyncio.sleep(POLL_SECONDS)
    return running


async def wait_up(running: RunningTask, *, within: float) -> None:
    """Until every essential container runs and is healthy where it has a health check."""
    deadline = time.monotonic() + within
    while True:
        ready = True
        for container in running.task.containers:
            if not container.essential or container.name not in running.started:
                continue
            state = await docker.state(running.started[container.name])
            if state.status == "exited":
                tail = await docker.logs_tail(running.started[container.name])
                raise TaskFailed(
                    f"{running.placement.name}: essential container {container.name} exited "
                    f"{state.exit_code}\n{tail}"
                )
            if container.health is not None and state.health != "healthy":
                ready = False
        if ready:
            return
        if time.monotonic() > deadline:
            raise TaskFailed(f"{running.placement.name}: not healthy after {within:.0f} s")
        await asyncio.sleep(POLL_SECONDS)


async def wait_exited(running: RunningTask, *, within: float) -> None:
    """A one-off task: until its essential containers exited, every one with 0."""
    deadline = time.monotonic() + within
    for container in running.task.containers:
        if not container.essential or container.name not in running.started:
            continue
        name = running.started[container.name]
        while (state := await docker.state(name)).status != "exited":
            if time.monotonic() > deadline:
                raise TaskFailed(f"{running.placement.name}: {container.name} still running")
            await asyncio.sleep(POLL_SECONDS)
        if state.exit_code != 0:
            tail = await docker.logs_tail(name)
            raise TaskFailed(
                f"{running.placement.name}: {container.name} exited {state.exit_code}\n{tail}"
            )
