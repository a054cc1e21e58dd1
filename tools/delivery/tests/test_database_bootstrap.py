"""The command's order: every bootstrap judged first, deployments touched only if all passed."""

from __future__ import annotations

from bazaar_common.testing.clock import FakeClock
from bazaar_delivery.database_bootstrap import bootstrap
from bazaar_delivery.database_bootstrap_spec import checked_spec
from bazaar_delivery.database_tasks import Polling

from .fake_ecs import CONTAINER, FakeEcs, ScriptedTask, service_document

SPEC = checked_spec(
    {
        "cluster": "bazaar-dev",
        "subnet_ids": ["subnet-12345678"],
        "tasks": {
            service: {
                "task_definition": f"bazaar-dev-{service}-database",
                "security_group_ids": ["sg-12345678"],
                "service_name": f"bazaar-dev-{service}",
            }
            for service in ("orders", "payments")
        },
    }
)


def first_deploy(clock: FakeClock) -> FakeEcs:
    """Both services' tasks failed on the missing secret; orders' breaker tripped."""
    ecs = FakeEcs(clock)
    ecs.scripts = {
        "bazaar-dev-orders-database": ScriptedTask(),
        "bazaar-dev-payments-database": ScriptedTask(),
    }
    ecs.services = {
        "bazaar-dev-orders": service_document(
            "bazaar-dev-orders", running=0, rollout="FAILED", failed_tasks=3
        ),
        "bazaar-dev-payments": service_document(
            "bazaar-dev-payments", running=0, rollout="IN_PROGRESS", failed_tasks=1
        ),
    }
    return ecs


async def run(ecs: FakeEcs, clock: FakeClock, lines: list[str]) -> bool:
    async def sleep(seconds: float) -> None:
        clock.advance(seconds)

    return await bootstrap(
        SPEC,
        ecs,
        time_limit=900.0,
        report=lines.append,
        polling=Polling(),
        clock=clock,
        sleep=sleep,
    )


async def test_after_every_bootstrap_succeeded_the_stuck_services_are_redeployed() -> None:
    clock = FakeClock(now=0.0)
    ecs = first_deploy(clock)
    lines: list[str] = []
    assert await run(ecs, clock, lines)
    assert ecs.forced == ["bazaar-dev-orders", "bazaar-dev-payments"]
    # The services are looked at only once every task has been judged.
    assert ecs.calls.index("DescribeServices") > max(
        index for index, call in enumerate(ecs.calls) if call == "DescribeTasks"
    )
    assert "every database bootstrap succeeded (2); checking the services" in lines


async def test_a_failed_bootstrap_redeploys_nothing_and_fails() -> None:
    clock = FakeClock(now=0.0)
    ecs = first_deploy(clock)
    ecs.scripts["bazaar-dev-payments-database"].exit_codes = {CONTAINER: 1}
    lines: list[str] = []
    assert not await run(ecs, clock, lines)
    assert ecs.forced == []
    assert "DescribeServices" not in ecs.calls
    assert lines[-1] == "database bootstrap failed for payments: no service was redeployed"


async def test_a_failed_redeployment_fails_the_command() -> None:
    clock = FakeClock(now=0.0)
    ecs = first_deploy(clock)
    del ecs.services["bazaar-dev-payments"]
    lines: list[str] = []
    assert not await run(ecs, clock, lines)
    assert ecs.forced == ["bazaar-dev-orders"]
