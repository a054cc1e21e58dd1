"""Where a task's containers logged: CloudWatch group and stream, from its task definition.

With the awslogs driver and an ``awslogs-stream-prefix``, ECS names each
container's stream ``<prefix>/<container name>/<task id>``: the exact stream
to open. Without a prefix only the group is known.
"""

from __future__ import annotations

from typing import Any


def log_locations(task_definition: dict[str, Any], task_id: str) -> list[str]:
    """One line per container of the task definition."""
    lines = []
    for container in task_definition.get("containerDefinitions", []):
        name = container.get("name", "?")
        configuration = container.get("logConfiguration") or {}
        options = configuration.get("options") or {}
        group = options.get("awslogs-group")
        if configuration.get("logDriver") != "awslogs" or not group:
            lines.append(f"logs of {name}: not in CloudWatch (no awslogs log configuration)")
            continue
        where = f"logs of {name}: CloudWatch group {group}"
        if options.get("awslogs-region"):
            where += f" ({options['awslogs-region']})"
        prefix = options.get("awslogs-stream-prefix")
        if prefix:
            where += f", stream {prefix}/{name}/{task_id}"
        else:
            where += ", stream named by ECS (the task definition sets no awslogs-stream-prefix)"
        lines.append(where)
    return lines
