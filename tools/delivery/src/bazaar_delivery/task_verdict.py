"""Whether a stopped one-off ECS task did its job, from its DescribeTasks document.

Only exit codes count: a task succeeded when every one of its containers
exited 0. ECS stops a task for many reasons with the task itself reporting
STOPPED either way (an image it could not pull, a secret it could not read,
a container killed for memory); those leave a container without an exit
code, or with another one, and the task's stoppedReason says why.

Only the fields named here are read: a task document also carries its
overrides and the like, and nothing of it is printed wholesale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Verdict:
    succeeded: bool
    details: tuple[str, ...]  # why it failed: the stop reason, each container's exit


def task_id(task_arn: str) -> str:
    return task_arn.rsplit("/", 1)[-1]


def judge(task: dict[str, Any]) -> Verdict:
    containers = task.get("containers") or []
    succeeded = bool(containers) and all(container.get("exitCode") == 0 for container in containers)
    if succeeded:
        return Verdict(True, ())
    return Verdict(False, tuple(_why(task, containers)))


def _why(task: dict[str, Any], containers: list[dict[str, Any]]) -> list[str]:
    stop_code = task.get("stopCode")
    reason = task.get("stoppedReason") or "no reason given"
    details = [f"stopped: {stop_code}: {reason}" if stop_code else f"stopped: {reason}"]
    if not containers:
        details.append("no container reported (the task never got as far as starting one)")
    for container in containers:
        name = container.get("name", "?")
        exit_code = container.get("exitCode")
        line = (
            f"container {name}: no exit code (it never ran, or was killed)"
            if exit_code is None
            else f"container {name}: exit code {exit_code}"
        )
        if container.get("reason"):
            line += f", reason: {container['reason']}"
        details.append(line)
    return details
