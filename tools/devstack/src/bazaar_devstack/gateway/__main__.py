"""``python -m bazaar_devstack.gateway``: the ALB, locally, until Ctrl-C.

From the catalog (the default): every catalog service is routed to
``http://127.0.0.1:<its catalog port>`` (``http://<service name>:<its
catalog port>`` with ``--hosts-by-name``, as in docker compose, whose DNS
knows each service by its name) unless ``--target name=http://host:port``
says otherwise. Repeated for one name, ``--target`` registers several
targets of that service (as an ALB target group holds several tasks): each
is health-checked on its own and requests go to the healthy ones. From a
routes file (``--routes FILE``): exactly the listener
rules and targets it lists, and no catalog at all.

Either way each client address may send as many requests as the WAF's
rate rule allows (``infra/terraform/modules/alb/rate_limit.json`` under
``--root``), and is answered 429 beyond; ``--rate-limit`` changes the number
and ``--rate-limit-exempt`` lets a client (a load generator on an address of
its own) through uncounted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
import sys
from pathlib import Path

from bazaar_common.catalog import ServiceEntry, discover
from bazaar_devstack.gateway.health import HealthCheckSettings
from bazaar_devstack.gateway.nginx import NginxError
from bazaar_devstack.gateway.rate_limit import RateLimit, read_rate_limit
from bazaar_devstack.gateway.routes import Route, RouteTarget, catalog_routes
from bazaar_devstack.gateway.routes_file import RoutesFileError, read_routes
from bazaar_devstack.gateway.runner import Gateway
from bazaar_devstack.gateway.settings import (
    ALB_CONNECT_TIMEOUT_SECONDS,
    ALB_IDLE_TIMEOUT_SECONDS,
    DEFAULT_MAX_BODY_BYTES,
    GatewaySettings,
    Target,
)
from bazaar_devstack.gateway.web_app import WebApp

# argparse's status for a command line it refuses; a bad routes file is one too.
USAGE_ERROR = 2


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bazaar_devstack.gateway",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--host", default="127.0.0.1", help="0.0.0.0 to listen everywhere")
    parser.add_argument(
        "--target",
        action="append",
        default=[],
        metavar="NAME=URL",
        help="a service's target, e.g. inventory=http://127.0.0.1:8001 (repeatable, "
        "also for one service: its targets, served while healthy)",
    )
    parser.add_argument(
        "--hosts-by-name",
        action="store_true",
        help="target each service at http://<its name>:<its catalog port> (docker compose)",
    )
    parser.add_argument(
        "--routes",
        type=Path,
        metavar="FILE",
        help="serve the listener rules in this JSON file instead of the catalog's "
        "(see bazaar_devstack/gateway/routes_file.py)",
    )
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the repository checkout")
    parser.add_argument(
        "--run-dir", type=Path, help="nginx's config, pid and logs (default ROOT/.local/gateway)"
    )
    parser.add_argument("--idle-timeout", type=float, default=ALB_IDLE_TIMEOUT_SECONDS)
    parser.add_argument("--connect-timeout", type=float, default=ALB_CONNECT_TIMEOUT_SECONDS)
    parser.add_argument("--max-body-bytes", type=int, default=DEFAULT_MAX_BODY_BYTES)
    parser.add_argument("--workers", type=int, default=1, help="nginx worker processes")
    parser.add_argument("--access-log", action="store_true", help="JSON lines in RUN_DIR")
    parser.add_argument(
        "--health-interval",
        type=float,
        default=2.0,
        help="seconds; this and the next three check the catalog's routes, "
        "and with --routes each route without a health_check of its own",
    )
    parser.add_argument(
        "--rate-limit",
        type=int,
        metavar="N",
        help="requests one client address may send per window (5 minutes) before 429; "
        "default the WAF's, from ROOT/infra/terraform/modules/alb/rate_limit.json",
    )
    parser.add_argument(
        "--rate-limit-exempt",
        action="append",
        default=[],
        metavar="CIDR",
        help="client addresses the rate limit does not count, e.g. 127.0.0.2/32 "
        "(repeatable; the WAF's waf_rate_limit_exempt_cidrs)",
    )
    parser.add_argument("--health-timeout", type=float, default=1.0)
    parser.add_argument("--healthy-threshold", type=int, default=2)
    parser.add_argument("--unhealthy-threshold", type=int, default=2)
    parser.add_argument(
        "--web-root",
        type=Path,
        help="the built browser app (web/dist), served at every path no route takes",
    )
    parser.add_argument("--web-config", type=Path, help="the app's /config.json (with --web-root)")
    parser.add_argument(
        "--local-cognito",
        metavar="URL",
        help="the local Cognito (moto) that /local-cognito/ passes sign-ins to (with --web-root)",
    )
    arguments = parser.parse_args(argv)
    if (arguments.web_root is None) != (arguments.web_config is None):
        parser.error("--web-root and --web-config go together")
    if arguments.local_cognito and arguments.web_root is None:
        parser.error("--local-cognito needs --web-root")
    if arguments.routes is not None and (arguments.target or arguments.hosts_by_name):
        parser.error(
            "--routes cannot be combined with --target or --hosts-by-name: "
            "the routes file names every route's target"
        )
    return arguments


def _targets(
    entries: list[ServiceEntry], given: list[str], *, hosts_by_name: bool = False
) -> dict[str, list[Target]]:
    """Each service's targets: the ``--target``s naming it, else its catalog address."""
    named: dict[str, list[Target]] = {}
    for item in given:
        name, separator, url = item.partition("=")
        if not separator:
            raise ValueError(f"--target {item!r} is not NAME=URL")
        if name not in {entry.name for entry in entries}:
            raise ValueError(f"--target {item!r}: no service {name!r} in the catalog")
        named.setdefault(name, []).append(Target.parse(url))
    return {
        entry.name: named.get(entry.name)
        or [Target(entry.name if hosts_by_name else "127.0.0.1", entry.port)]
        for entry in entries
    }


def _catalog_routes(arguments: argparse.Namespace) -> list[Route]:
    root = arguments.root.resolve()
    entries = discover(root)
    if not entries:
        raise ValueError(f"no services/*/src/*/service.yaml under {root}: pass --root")
    targets = _targets(entries, arguments.target, hosts_by_name=arguments.hosts_by_name)
    return catalog_routes(entries, targets)


def _rate_limit(arguments: argparse.Namespace) -> RateLimit:
    limit = read_rate_limit(arguments.root.resolve())
    if arguments.rate_limit is not None:
        limit = limit.with_requests(arguments.rate_limit)
    return limit.with_exempt(arguments.rate_limit_exempt)


def _web_app(arguments: argparse.Namespace) -> WebApp | None:
    if arguments.web_root is None:
        return None
    cognito = Target.parse(arguments.local_cognito) if arguments.local_cognito else None
    try:
        config = json.loads(arguments.web_config.read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise ValueError(f"--web-config {arguments.web_config}: {error}") from None
    return WebApp(arguments.web_root, config, cognito)


def _gateway(arguments: argparse.Namespace, routes: list[Route]) -> Gateway:
    settings = GatewaySettings(
        port=arguments.port,
        host=arguments.host,
        idle_timeout_seconds=arguments.idle_timeout,
        connect_timeout_seconds=arguments.connect_timeout,
        max_body_bytes=arguments.max_body_bytes,
        worker_processes=arguments.workers,
        access_log=arguments.access_log,
        rate_limit=_rate_limit(arguments),
        web=_web_app(arguments),
    )
    health = HealthCheckSettings(
        interval_seconds=arguments.health_interval,
        timeout_seconds=arguments.health_timeout,
        healthy_threshold=arguments.healthy_threshold,
        unhealthy_threshold=arguments.unhealthy_threshold,
    )
    run_directory = arguments.run_dir or arguments.root.resolve() / ".local" / "gateway"
    return Gateway(routes, run_directory, settings, health)


async def _serve(gateway: Gateway) -> int:
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    await gateway.start()
    print(f"gateway: listening on {gateway.url}", file=sys.stderr)
    for route in gateway.routes:
        for line in _status(route, gateway.healthy_targets):
            print(f"  {line}", file=sys.stderr)
    exited = asyncio.create_task(gateway.wait())
    stopped = asyncio.create_task(stopping.wait())
    await asyncio.wait({exited, stopped}, return_when=asyncio.FIRST_COMPLETED)
    stopped.cancel()
    if exited.done():
        print(f"gateway: nginx exited unexpectedly\n{gateway.log_tail()}", file=sys.stderr)
        await gateway.stop()
        return 1
    exited.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await exited
    await gateway.stop()
    print("gateway: stopped", file=sys.stderr)
    return 0


def _status(route: Route, healthy: frozenset[RouteTarget]) -> list[str]:
    """The route's lines of the start-up table: rule, each target, whether it is served."""
    patterns = " ".join(route.path_patterns)
    if not route.targets:
        return [f"{route.name:<12} {patterns:<28} -> {'(no target)':<24} 503 (nothing registered)"]
    served = any(member in healthy for member in route.registered)
    lines = []
    for index, member in enumerate(route.registered):
        state = "healthy" if member in healthy else "unhealthy"
        if not served:
            state += " (503 until healthy)"
        rule = f"{route.name:<12} {patterns:<28}" if index == 0 else " " * 41
        lines.append(f"{rule} -> {member.target.url:<24} {state}")
    return lines


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    arguments = _arguments(argv)
    try:
        if arguments.routes is None:
            routes = _catalog_routes(arguments)
        else:
            loaded = read_routes(arguments.routes)
            if isinstance(loaded, RoutesFileError):
                print(f"gateway: {loaded}", file=sys.stderr)
                return USAGE_ERROR
            routes = loaded
        return asyncio.run(_serve(_gateway(arguments, routes)))
    except (ValueError, NginxError) as error:
        print(f"gateway: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
