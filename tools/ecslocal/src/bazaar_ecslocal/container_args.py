"""A container definition as a ``docker run``: the same image, command, user and limits.

Fargate's ``awsvpc`` gives a task one network namespace shared by its
containers; here a holder container per task owns it (and the task's names
on the network), and every container of the task joins it, so
``127.0.0.1`` means the task, as on Fargate. A task-scoped scratch volume
is a tmpfs owned by root, as Fargate's bind mount is.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence

from bazaar_ecslocal.docker import detached
from bazaar_ecslocal.model import ContainerSpec, HealthCheck


def health_flags(health: HealthCheck) -> list[str]:
    kind, *rest = health.command
    if kind == "CMD":
        command = shlex.join(rest)  # docker run takes the shell form only
    elif kind == "CMD-SHELL":
        command = " ".join(rest)
    else:
        raise ValueError(f"health check command must start with CMD or CMD-SHELL, not {kind!r}")
    return [
        f"--health-cmd={command}",
        f"--health-interval={health.interval}s",
        f"--health-timeout={health.timeout}s",
        f"--health-retries={health.retries}",
        f"--health-start-period={health.start_period}s",
    ]


def run_arguments(
    container: ContainerSpec,
    *,
    name: str,
    run: str,
    network_of: str,
    environment: Mapping[str, str],
    memory_mib: int | None,
) -> list[str]:
    """``docker run`` arguments (after ``run``) for one container of a task.

    ``environment`` is the container's whole environment: its own variables,
    its resolved secrets and what ECS itself provides (credentials).
    """
    arguments = detached(name=name, run=run, network=f"container:{network_of}")
    if container.user:
        arguments.append(f"--user={container.user}")
    if container.read_only:
        arguments.append("--read-only")
    arguments += [
        f"--mount=type=tmpfs,destination={path},tmpfs-mode=0755" for path in container.scratch_paths
    ]
    arguments += [f"--cap-drop={capability}" for capability in container.drop_capabilities]
    if container.init:
        arguments.append("--init")
    if container.stop_timeout is not None:
        arguments.append(f"--stop-timeout={container.stop_timeout}")
    if memory_mib:
        arguments.append(f"--memory={memory_mib}m")
    if container.health is not None:
        arguments += health_flags(container.health)
    # Names only: docker takes each value from its own environment
    # (docker_environment), so no secret is ever on a command line.
    for key in sorted(environment):
        arguments += ["-e", key]
    command: Sequence[str] = container.command or ()
    if container.entry_point:
        arguments.append(f"--entrypoint={container.entry_point[0]}")
        command = [*container.entry_point[1:], *command]
    return [*arguments, container.image, *command]


def holder_arguments(
    *, name: str, run: str, network: str, aliases: Sequence[str], image: str
) -> list[str]:
    """The task's network namespace, and its names: Cloud Map's and the target group's."""
    return [
        *detached(name=name, run=run, network=network),
        *[f"--network-alias={alias}" for alias in aliases],
        "--read-only",
        "--cap-drop=ALL",
        "--user=10001:10001",
        # It only holds the namespace: the image's own health check is the app's.
        "--no-healthcheck",
        "--entrypoint=sleep",
        image,
        "infinity",
    ]
