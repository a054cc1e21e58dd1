"""A stopped task succeeded only when every container of it exited 0."""

from __future__ import annotations

from typing import Any

import pytest

from bazaar_delivery.task_verdict import judge, task_id


def stopped(*exit_codes: int | None, **fields: Any) -> dict[str, Any]:
    containers = []
    for number, code in enumerate(exit_codes):
        container: dict[str, Any] = {"name": f"c{number}", "lastStatus": "STOPPED"}
        if code is not None:
            container["exitCode"] = code
        containers.append(container)
    return {"lastStatus": "STOPPED", "containers": containers, **fields}


def test_every_container_exiting_0_is_a_success() -> None:
    assert judge(stopped(0, 0)).succeeded


@pytest.mark.parametrize("exit_codes", [(1,), (0, 137), (None,), (0, None), ()])
def test_anything_else_is_a_failure(exit_codes: tuple[int | None, ...]) -> None:
    verdict = judge(stopped(*exit_codes))
    assert not verdict.succeeded
    assert verdict.details[0] == "stopped: no reason given"


def test_a_task_without_containers_says_it_never_started_one() -> None:
    verdict = judge(stopped(stoppedReason="Timeout waiting for network interface provisioning"))
    assert verdict.details == (
        "stopped: Timeout waiting for network interface provisioning",
        "no container reported (the task never got as far as starting one)",
    )


def test_the_task_id_is_the_arn_tail_in_either_arn_format() -> None:
    assert task_id("arn:aws:ecs:eu-west-1:1:task/bazaar-dev/0f1e2d") == "0f1e2d"
    assert task_id("arn:aws:ecs:eu-west-1:1:task/0f1e2d") == "0f1e2d"
