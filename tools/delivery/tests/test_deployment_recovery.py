"""Which services get a fresh deployment after the bootstrap, with a scripted ECS (fake_ecs)."""

from __future__ import annotations

from typing import Any

import pytest

from bazaar_common.testing.clock import FakeClock
from bazaar_delivery.database_bootstrap_spec import checked_spec
from bazaar_delivery.deployment_recovery import recover_deployments, why_redeploy

from .fake_ecs import FakeEcs, service_document


def spec_of(*services: str) -> Any:
    return checked_spec(
        {
            "cluster": "bazaar-dev",
            "subnet_ids": ["subnet-12345678"],
            "tasks": {
                service: {
                    "task_definition": f"bazaar-dev-{service}-database",
                    "security_group_ids": ["sg-12345678"],
                    "service_name": f"bazaar-dev-{service}",
                }
                for service in services
            },
        }
    )


@pytest.mark.parametrize(
    ("service", "why"),
    [
        (
            service_document("s", running=0, rollout="FAILED", failed_tasks=3),
            "its deployment ecs-svc/s-1 is FAILED (ECS deployment ecs-svc/s-1 failed.)",
        ),
        # The breaker trips on the PRIMARY deployment whatever runs: a FAILED
        # rollout launches nothing more, even with tasks of an older one running.
        (service_document("s", running=1, rollout="FAILED"), "is FAILED"),
        (
            service_document("s", running=0, rollout="IN_PROGRESS", failed_tasks=2),
            "none of its 2 desired tasks runs; deployment ecs-svc/s-1 has 2 failed tasks",
        ),
    ],
)
def test_a_failed_or_failing_deployment_is_redeployed(service: dict[str, Any], why: str) -> None:
    reason = why_redeploy(service)
    assert reason is not None
    assert why in reason


@pytest.mark.parametrize(
    "service",
    [
        service_document("s"),  # healthy
        service_document("s", running=0, rollout="IN_PROGRESS"),  # starting, nothing failed yet
        service_document("s", running=1, rollout="IN_PROGRESS", failed_tasks=3),  # recovering
        service_document("s", desired=0, running=0, failed_tasks=3),  # scaled to zero
        {"serviceName": "s", "status": "ACTIVE", "desiredCount": 1, "runningCount": 0},
    ],
)
def test_a_service_not_stuck_is_left_alone(service: dict[str, Any]) -> None:
    assert why_redeploy(service) is None


def test_an_older_failed_deployment_beside_a_completed_primary_is_no_reason() -> None:
    service = service_document("s")
    service["deployments"].append(
        {"id": "ecs-svc/old", "status": "ACTIVE", "rolloutState": "FAILED", "failedTasks": 0}
    )
    assert why_redeploy(service) is None


async def test_only_the_stuck_services_get_a_new_deployment_and_say_why() -> None:
    ecs = FakeEcs(FakeClock())
    ecs.services = {
        "bazaar-dev-orders": service_document("bazaar-dev-orders", running=0, rollout="FAILED"),
        "bazaar-dev-payments": service_document("bazaar-dev-payments"),
    }
    lines: list[str] = []
    assert await recover_deployments(spec_of("orders", "payments"), ecs, lines.append)
    assert ecs.forced == ["bazaar-dev-orders"]
    assert lines == [
        "orders: service bazaar-dev-orders: forcing a new deployment: its deployment "
        "ecs-svc/bazaar-dev-orders-1 is FAILED (ECS deployment ecs-svc/bazaar-dev-orders-1 "
        "failed.)",
        "payments: service bazaar-dev-payments needs no new deployment "
        "(2 of 2 tasks running, rollout COMPLETED)",
    ]


async def test_a_service_missing_or_not_active_fails_the_recovery() -> None:
    ecs = FakeEcs(FakeClock())
    ecs.services = {
        "bazaar-dev-orders": service_document("bazaar-dev-orders", status="INACTIVE"),
    }
    lines: list[str] = []
    assert not await recover_deployments(spec_of("orders", "payments"), ecs, lines.append)
    assert ecs.forced == []
    assert "orders: service bazaar-dev-orders is INACTIVE, not ACTIVE" in lines[0]
    assert (
        lines[1] == "payments: service bazaar-dev-payments is not in cluster bazaar-dev (MISSING)"
    )


async def test_an_update_that_fails_fails_the_recovery() -> None:
    ecs = FakeEcs(FakeClock())
    ecs.services = {"bazaar-dev-orders": service_document("bazaar-dev-orders", rollout="FAILED")}
    ecs.failing["UpdateService"] = 1
    lines: list[str] = []
    assert not await recover_deployments(spec_of("orders"), ecs, lines.append)
    assert "could not be started: UpdateService: ThrottlingException" in lines[-1]


async def test_services_are_described_ten_at_a_time() -> None:
    names = [f"s{number:02d}" for number in range(23)]
    ecs = FakeEcs(FakeClock())
    ecs.services = {f"bazaar-dev-{name}": service_document(f"bazaar-dev-{name}") for name in names}
    assert await recover_deployments(spec_of(*names), ecs, lambda line: None)
    assert ecs.calls == ["DescribeServices"] * 3
