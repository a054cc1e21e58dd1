"""How long a local service drains after SIGTERM: as long as its gateway takes to notice.

In AWS, ECS takes a task out of the target group before it sends SIGTERM.
Locally the gateway learns only from its health checks, so a stopping
service must stay up, failing ``/readyz`` and still serving, until the
checks have taken it out (``DRAIN_SECONDS``, see bazaar_common.http.draining).
"""

from __future__ import annotations

from bazaar_devstack.gateway.health import HealthCheckSettings

# A check in flight when the drain starts may still pass: one interval more.
_MARGIN_CHECKS = 1


def drain_seconds(health: HealthCheckSettings) -> float:
    """The longest the gateway can take to stop sending to a target that fails its checks."""
    checks = health.unhealthy_threshold + _MARGIN_CHECKS
    return checks * health.interval_seconds + health.timeout_seconds
