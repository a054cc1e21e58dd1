"""``database-bootstrap``: every service's database made, then stuck deployments restarted.

deploy.yml runs it (``make deploy-database``) after ``terraform apply``,
which registers each service's one-off bootstrap task definition and the
empty DATABASE_URL secrets it fills, and before waiting for the services to
be stable: they cannot be, on a first deploy, until their secret is there.
The bootstrap is idempotent, so every deploy runs it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from bazaar_delivery.aws_ecs import aws_ecs
from bazaar_delivery.database_bootstrap_spec import BootstrapSpec
from bazaar_delivery.database_tasks import DEFAULT_POLLING, Polling, Report, run_bootstrap_tasks
from bazaar_delivery.deployment_recovery import recover_deployments
from bazaar_delivery.ecs_port import Ecs

DEFAULT_TIMEOUT_SECONDS = 900.0


async def bootstrap(
    spec: BootstrapSpec,
    ecs: Ecs,
    *,
    time_limit: float,
    report: Report,
    polling: Polling = DEFAULT_POLLING,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> bool:
    """Runs every bootstrap task; only if all exited 0, recovers the services' deployments."""
    outcomes = await run_bootstrap_tasks(
        spec, ecs, time_limit=time_limit, report=report, polling=polling, clock=clock, sleep=sleep
    )
    failed = sorted(service for service, succeeded in outcomes.items() if not succeeded)
    if failed:
        # A service whose database is not there would only fail again.
        report(f"database bootstrap failed for {', '.join(failed)}: no service was redeployed")
        return False
    report(f"every database bootstrap succeeded ({len(outcomes)}); checking the services")
    return await recover_deployments(spec, ecs, report)


async def bootstrap_on_aws(
    spec: BootstrapSpec,
    *,
    region: str,
    endpoint_url: str | None,
    time_limit: float,
    report: Report,
    polling: Polling = DEFAULT_POLLING,
) -> bool:
    async with aws_ecs(region, endpoint_url) as ecs:
        return await bootstrap(spec, ecs, time_limit=time_limit, report=report, polling=polling)
