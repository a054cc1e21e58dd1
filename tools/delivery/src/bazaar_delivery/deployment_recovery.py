"""A fresh deployment for each service whose deployment failed while its database was missing.

On an environment's first deploy (or a new service's), the service's tasks
start before its bootstrap has written its DATABASE_URL secret, and fail.
ECS's deployment circuit breaker (half the desired count, at least 3 failed
tasks) may then have marked the deployment FAILED, and a failed deployment
launches no more tasks: waiting for the service to be stable would wait in
vain. Once every bootstrap succeeded, such a service gets one new
deployment of the same task definition (UpdateService forceNewDeployment).

A service is redeployed when its PRIMARY deployment's rollout is FAILED, or
when none of its tasks runs though some are desired and a deployment has
failed tasks (the breaker has not tripped yet, but its tasks keep failing on
the missing secret until ECS backs off). A healthy service is left alone.
"""

from __future__ import annotations

from typing import Any

from bazaar_delivery.database_bootstrap_spec import BootstrapSpec
from bazaar_delivery.database_tasks import Report
from bazaar_delivery.ecs_port import DESCRIBE_SERVICES_BATCH, Ecs, EcsCallFailed


def why_redeploy(service: dict[str, Any]) -> str | None:
    """Why this DescribeServices document needs a new deployment; None when it does not."""
    deployments: list[dict[str, Any]] = service.get("deployments") or []
    primary = _primary(service)
    if primary is not None and primary.get("rolloutState") == "FAILED":
        reason = primary.get("rolloutStateReason") or "no reason given"
        return f"its deployment {primary.get('id', '?')} is FAILED ({reason})"
    desired = service.get("desiredCount", 0)
    failing = [d for d in deployments if d.get("failedTasks", 0) > 0]
    if service.get("runningCount", 0) == 0 and desired > 0 and failing:
        failed = ", ".join(
            f"deployment {d.get('id', '?')} has {d['failedTasks']} failed tasks" for d in failing
        )
        return f"none of its {desired} desired tasks runs; {failed}"
    return None


async def recover_deployments(spec: BootstrapSpec, ecs: Ecs, report: Report) -> bool:
    """Checks every spec'd ECS service, redeploys those that need it; False if any could not be."""
    catalog_name = {bootstrap.service_name: bootstrap.service for bootstrap in spec.tasks}
    names = list(catalog_name)
    healthy = True
    for start in range(0, len(names), DESCRIBE_SERVICES_BATCH):
        batch = names[start : start + DESCRIBE_SERVICES_BATCH]
        try:
            answer = await ecs.describe_services(spec.cluster, batch)
        except EcsCallFailed as error:
            report(f"could not check the services {', '.join(batch)}: {error}")
            healthy = False
            continue
        described = {
            service.get("serviceName"): service for service in answer.get("services") or []
        }
        for name in batch:
            label = f"{catalog_name[name]}: service {name}"
            service = described.get(name)
            if service is None:
                report(f"{label} is not in cluster {spec.cluster}{_failure_of(answer, name)}")
                healthy = False
            elif service.get("status") != "ACTIVE":
                report(f"{label} is {service.get('status')}, not ACTIVE: nothing to redeploy")
                healthy = False
            else:
                healthy = await _recover(ecs, spec.cluster, service, label, report) and healthy
    return healthy


async def _recover(
    ecs: Ecs, cluster: str, service: dict[str, Any], label: str, report: Report
) -> bool:
    reason = why_redeploy(service)
    if reason is None:
        report(f"{label} needs no new deployment ({_state(service)})")
        return True
    report(f"{label}: forcing a new deployment: {reason}")
    try:
        await ecs.force_new_deployment(cluster, service["serviceName"])
    except EcsCallFailed as error:
        report(f"{label}:   the new deployment could not be started: {error}")
        return False
    return True


def _state(service: dict[str, Any]) -> str:
    primary = _primary(service) or {}
    return (
        f"{service.get('runningCount', 0)} of {service.get('desiredCount', 0)} tasks running, "
        f"rollout {primary.get('rolloutState', 'unknown')}"
    )


def _primary(service: dict[str, Any]) -> dict[str, Any] | None:
    deployments: list[dict[str, Any]] = service.get("deployments") or []
    return next((d for d in deployments if d.get("status") == "PRIMARY"), None)


def _failure_of(answer: dict[str, Any], name: str) -> str:
    for failure in answer.get("failures") or []:
        if str(failure.get("arn", "")).rsplit("/", 1)[-1] == name:
            return f" ({failure.get('reason') or 'no reason given'})"
    return ""
