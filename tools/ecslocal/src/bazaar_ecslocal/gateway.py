"""The load balancer: the local gateway (bazaar_devstack.gateway) run from the listener rules.

Each HTTPS listener rule becomes a route to its target group, whose
registered tasks all answer to the group's network alias; the group's
health check is the route's. The gateway listens on a loopback port of this
machine.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
from pathlib import Path

from bazaar_ecslocal import docker
from bazaar_ecslocal.model import Platform, TargetGroup

CONTAINER_PORT = 8080
ROUTES_DIRECTORY = "/run/routes"
IMAGE_ROOT = "/app/catalog"
# What a gateway answers itself when a route has no healthy target.
NOT_SERVED = {502, 503, 504}


def routes_document(platform: Platform) -> dict[str, object]:
    routes = []
    for rule in platform.rules:
        group = platform.target_group(rule.target_group_arn)
        routes.append(
            {
                "name": group.name,
                "priority": rule.priority,
                "path_patterns": list(rule.path_patterns),
                "target": f"http://{group.alias}:{group.port}",
                "health_path": group.health_path,
                "health_check": {
                    "interval_seconds": group.interval,
                    "timeout_seconds": group.timeout,
                    "healthy_threshold": group.healthy_threshold,
                    "unhealthy_threshold": group.unhealthy_threshold,
                },
            }
        )
    return {"routes": routes}


def health_url(group: TargetGroup, task_host: str) -> str:
    port = group.port if group.health_port == "traffic-port" else int(group.health_port)
    return f"http://{task_host}:{port}{group.health_path}"


def write_routes(platform: Platform, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "routes.json").write_text(json.dumps(routes_document(platform), indent=2))
    return folder.resolve()


async def start(
    platform: Platform, *, name: str, run: str, network: str, image: str, port: int, folder: Path
) -> str:
    """The gateway's URL on this machine."""
    routes = await asyncio.to_thread(write_routes, platform, folder)
    await docker.docker(
        "run",
        *docker.detached(name=name, run=run, network=network),
        f"--publish=127.0.0.1:{port}:{CONTAINER_PORT}",
        f"--volume={routes}:{ROUTES_DIRECTORY}:ro",
        "--read-only",
        "--tmpfs=/tmp",
        "--user=10001:10001",
        "--cap-drop=ALL",
        image,
        "python",
        "-m",
        "bazaar_devstack.gateway",
        f"--routes={ROUTES_DIRECTORY}/routes.json",
        # The image's copy of the repository files the gateway reads: the
        # WAF's rate limit (infra/terraform/modules/alb/rate_limit.json).
        f"--root={IMAGE_ROOT}",
        "--host=0.0.0.0",
        f"--port={CONTAINER_PORT}",
        "--run-dir=/tmp/gateway",
    )
    return f"http://127.0.0.1:{port}"


async def probe(gateway: str, url: str) -> int | None:
    """The status a target answers its health check with, asked from inside the network."""
    code = (
        "import sys, urllib.request, urllib.error\n"
        "try:\n"
        f"    print(urllib.request.urlopen({url!r}, timeout=3).status)\n"
        "except urllib.error.HTTPError as error:\n"
        "    print(error.code)\n"
        "except Exception:\n"
        "    print(0)\n"
    )
    printed = await docker.docker("exec", gateway, "python", "-c", code, check=False)
    try:
        return int(printed.strip()) or None
    except ValueError:
        return None


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 - loopback http
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


async def wait_routed(platform: Platform, url: str, *, within: float) -> None:
    """Until every rule's first path reaches a target through the gateway (not 0/502/503/504)."""
    deadline = time.monotonic() + within
    for rule in platform.rules:
        path = next(pattern for pattern in rule.path_patterns if "*" not in pattern)
        while (status := await asyncio.to_thread(_status, url + path)) in NOT_SERVED | {0}:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the gateway does not route {path} (last answer {status})")
            await asyncio.sleep(1)
