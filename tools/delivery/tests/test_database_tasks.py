"""Starting, watching and judging the bootstrap tasks, with a scripted ECS (fake_ecs).

What ECS does with a container (exit codes, stop reasons, time passing) is
scripted here because no emulator runs one: test_database_bootstrap_moto
covers what moto does show.
"""

from __future__ import annotations

import pytest

from bazaar_common.testing.clock import FakeClock
from bazaar_delivery.database_bootstrap_spec import checked_spec
from bazaar_delivery.database_tasks import STARTED_BY, Polling, run_bootstrap_tasks
from bazaar_delivery.task_verdict import task_id

from .fake_ecs import CONTAINER, SECRET, FakeEcs, ScriptedTask

SUBNETS = ["subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"]
POLLING = Polling(first_seconds=5.0, growth=1.5, most_seconds=20.0)


def spec_of(*services: str) -> dict[str, object]:
    return {
        "cluster": "bazaar-dev",
        "subnet_ids": SUBNETS,
        "tasks": {
            service: {
                "task_definition": f"bazaar-dev-{service}-database",
                "security_group_ids": [f"sg-0{index:016x}"],
                "service_name": f"bazaar-dev-{service}",
            }
            for index, service in enumerate(services)
        },
    }


class Run:
    """One run of run_bootstrap_tasks on a fake ECS: its outcome and what it printed."""

    def __init__(self, *services: str) -> None:
        self.clock = FakeClock(now=0.0)
        self.ecs = FakeEcs(self.clock)
        self.spec = checked_spec(spec_of(*services))
        self.lines: list[str] = []
        self.sleeps: list[float] = []
        for service in services:
            self.ecs.scripts[f"bazaar-dev-{service}-database"] = ScriptedTask()

    def script(self, service: str) -> ScriptedTask:
        return self.ecs.scripts[f"bazaar-dev-{service}-database"]

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.clock.advance(seconds)

    async def __call__(self, time_limit: float = 900.0) -> dict[str, bool]:
        return await run_bootstrap_tasks(
            self.spec,
            self.ecs,
            time_limit=time_limit,
            report=self.lines.append,
            polling=POLLING,
            clock=self.clock,
            sleep=self.sleep,
        )

    def lines_of(self, service: str) -> list[str]:
        return [line for line in self.lines if line.startswith(f"{service}: ")]

    @property
    def output(self) -> str:
        return "\n".join(self.lines)


async def test_every_task_is_started_at_once_on_the_private_network_and_judged() -> None:
    run = Run("orders", "payments")
    run.script("orders").runs_for = 40.0
    run.script("payments").runs_for = 12.0
    assert await run() == {"orders": True, "payments": True}
    assert run.ecs.most_in_flight == 2  # both RunTask calls were under way together
    assert run.ecs.calls[:2] == ["RunTask", "RunTask"]
    requests = {request["taskDefinition"]: request for request in run.ecs.run_requests}
    assert requests["bazaar-dev-orders-database"] == {
        "cluster": "bazaar-dev",
        "taskDefinition": "bazaar-dev-orders-database",
        "launchType": "FARGATE",
        "count": 1,
        "startedBy": STARTED_BY,
        "networkConfiguration": {
            "awsvpcConfiguration": {
                "subnets": SUBNETS,
                "securityGroups": ["sg-00000000000000000"],
                "assignPublicIp": "DISABLED",
            }
        },
    }
    assert requests["bazaar-dev-payments-database"]["networkConfiguration"]["awsvpcConfiguration"][
        "securityGroups"
    ] == ["sg-00000000000000001"]
    assert STARTED_BY == "bazaar-deploy"
    # One line per service as it finishes: payments (12 s) before orders (40 s).
    finished = [line for line in run.lines if "succeeded" in line]
    assert [line.split(":")[0] for line in finished] == ["payments", "orders"]


async def test_every_running_task_is_asked_about_in_one_call_and_less_and_less_often() -> None:
    run = Run("orders", "payments", "inventory")
    run.script("orders").runs_for = 300.0
    await run()
    both = run.ecs.described[0]
    assert len(both) == 3  # one DescribeTasks for every task still running
    assert run.sleeps[:4] == [5.0, 7.5, 11.25, 16.875]
    assert max(run.sleeps) == 20.0  # bounded: a late end is seen within 20 s
    assert 300.0 <= run.clock.now <= 320.0
    assert len(run.ecs.described) <= 20  # about 5 minutes in under 20 calls


async def test_a_container_exiting_non_zero_fails_with_its_reason_and_its_logs() -> None:
    run = Run("orders", "payments")
    run.script("orders").exit_codes = {CONTAINER: 1}
    assert await run() == {"orders": False, "payments": True}
    lines = run.lines_of("orders")
    tid = task_id(next(iter(run.ecs.tasks)))
    assert lines[-4:] == [
        f"orders: database bootstrap FAILED (task {tid})",
        "orders:   stopped: EssentialContainerExited: Essential container in task exited",
        f"orders:   container {CONTAINER}: exit code 1",
        f"orders:   logs of {CONTAINER}: CloudWatch group /bazaar/dev/bazaar-dev-orders-database"
        f" (eu-west-1), stream database/{CONTAINER}/{tid}",
    ]
    assert SECRET not in run.output


async def test_a_container_that_never_ran_fails_though_no_exit_code_says_so() -> None:
    run = Run("orders")
    script = run.script("orders")
    script.exit_codes = {CONTAINER: None}
    script.stop_code = "TaskFailedToStart"
    script.stopped_reason = "ResourceInitializationError: unable to pull secrets or registry auth"
    script.container_reasons = {CONTAINER: "CannotPullContainerError: pull access denied"}
    assert await run() == {"orders": False}
    assert (
        "orders:   stopped: TaskFailedToStart: ResourceInitializationError: "
        "unable to pull secrets or registry auth"
    ) in run.lines
    assert (
        f"orders:   container {CONTAINER}: no exit code (it never ran, or was killed), "
        "reason: CannotPullContainerError: pull access denied"
    ) in run.lines


async def test_one_container_failing_fails_the_task_whatever_the_others_did() -> None:
    run = Run("orders")
    run.script("orders").exit_codes = {CONTAINER: 0, "log-router": 137}
    assert await run() == {"orders": False}
    assert "orders:   container log-router: exit code 137" in run.lines
    assert f"orders:   container {CONTAINER}: exit code 0" in run.lines


async def test_a_task_still_running_at_the_time_limit_is_stopped_and_failed() -> None:
    run = Run("orders", "payments")
    run.script("orders").runs_for = None
    assert await run(time_limit=60.0) == {"orders": False, "payments": True}
    assert run.clock.now == 60.0  # it waited exactly the time limit, not an interval more
    (arn,) = [arn for arn, task in run.ecs.tasks.items() if task.family.endswith("orders-database")]
    assert run.ecs.stopped == [
        (arn, "bazaar-deploy: the database bootstrap did not finish within 60 s")
    ]
    lines = run.lines_of("orders")
    assert (
        f"database bootstrap FAILED: still RUNNING after 60 s (task {task_id(arn)})" in (lines[-3])
    )
    assert "stopped it" in lines[-2]
    assert lines[-1].startswith(f"orders:   logs of {CONTAINER}: CloudWatch group")


async def test_a_task_that_cannot_be_stopped_is_failed_all_the_same() -> None:
    run = Run("orders")
    run.script("orders").runs_for = None
    run.ecs.failing["StopTask"] = 1
    assert await run(time_limit=30.0) == {"orders": False}
    assert any("could not stop it: StopTask: ThrottlingException" in line for line in run.lines)


async def test_a_runtask_failure_entry_fails_that_service_and_the_others_still_run() -> None:
    run = Run("orders", "payments")
    run.script("payments").run_failure = {
        "arn": "arn:aws:ecs:eu-west-1:123456789012:container-instance/x",
        "reason": "RESOURCE:ENI",
        "detail": "no free ENI in subnet",
    }
    assert await run() == {"orders": True, "payments": False}
    assert run.lines_of("payments") == [
        "payments: database bootstrap FAILED to start bazaar-dev-payments-database: "
        "RESOURCE:ENI (no free ENI in subnet)"
    ]
    assert all(len(arns) == 1 for arns in run.ecs.described)  # only orders was watched


async def test_a_runtask_error_fails_that_service() -> None:
    run = Run("orders")
    run.ecs.failing["RunTask"] = 1
    assert await run() == {"orders": False}
    assert run.lines == [
        "orders: database bootstrap FAILED to start bazaar-dev-orders-database: "
        "RunTask: ThrottlingException: Rate exceeded"
    ]
    assert "DescribeTasks" not in run.ecs.calls


async def test_describe_errors_and_missing_tasks_are_asked_about_again() -> None:
    run = Run("orders")
    run.ecs.failing["DescribeTasks"] = 2
    run.ecs.missing_for_first_describes = 1
    assert await run() == {"orders": True}
    assert sum("asking again" in line for line in run.lines) == 2


async def test_logs_unknown_when_the_task_definition_cannot_be_read() -> None:
    run = Run("orders")
    run.script("orders").exit_codes = {CONTAINER: 2}
    run.ecs.failing["DescribeTaskDefinition"] = 1
    assert await run() == {"orders": False}
    assert run.lines[-1].startswith(
        "orders:   logs: unknown, the task definition could not be read: DescribeTaskDefinition"
    )


@pytest.mark.parametrize("first", [0.5, 5.0, 30.0])
def test_polling_intervals_grow_and_stay_bounded(first: float) -> None:
    polling = Polling(first_seconds=first, growth=2.0, most_seconds=10.0)
    intervals = polling.intervals()
    taken = [next(intervals) for _ in range(8)]
    assert taken == sorted(taken)
    assert taken[0] == min(first, 10.0)
    assert taken[-1] == 10.0
