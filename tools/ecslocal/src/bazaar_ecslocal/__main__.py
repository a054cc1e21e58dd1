"""``python -m bazaar_ecslocal up|down``: the platform Terraform applied to moto, run on Docker.

``up`` reads what Terraform rendered back from the moto server (ECS
services and task definitions, the load balancer's listener rules and
target groups, Cloud Map names, the Aurora cluster and its secrets), starts
PostgreSQL in Aurora's place, runs every service's database bootstrap task,
then every service's tasks, then a gateway that routes as the listener
rules do, and returns once everything passes its health checks; the
containers keep running. ``bootstrap`` runs the database bootstrap tasks
again (as every deploy does). ``down`` removes them all. Exit status 0, 1
when the platform could not be brought up (the reason on stderr), 2 for bad
input.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError

from bazaar_ecslocal import docker, emulator
from bazaar_ecslocal.readback import ReadbackError
from bazaar_ecslocal.secret_values import SecretError
from bazaar_ecslocal.task_definitions import UnsupportedDefinition
from bazaar_ecslocal.tasks import TaskFailed
from bazaar_ecslocal.up import Options, WiringError, bootstrap_again, up

DEFAULT_RUN = "bazaar-ecslocal"


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="python -m bazaar_ecslocal", description=__doc__.splitlines()[0]
    )
    commands = top.add_subparsers(dest="command", required=True)
    start = commands.add_parser("up", help="start the platform's tasks and gateway, then return")
    again = commands.add_parser("bootstrap", help="run the database bootstrap tasks again")
    for command in (start, again):
        command.add_argument(
            "--moto-url", required=True, help="the moto server Terraform applied to"
        )
        command.add_argument(
            "--database-bootstrap",
            type=Path,
            required=True,
            help="the platform's database_bootstrap output (terraform output -json ...)",
        )
        command.add_argument(
            "--network", required=True, help="the Docker network (the tasks reach moto there)"
        )
        command.add_argument("--region", default="eu-west-1")
        command.add_argument("--timeout", type=float, default=300, help="seconds per step")
    start.add_argument("--gateway-port", type=int, default=8090)
    start.add_argument("--postgres-image", default="bazaar/postgres:15")
    start.add_argument("--gateway-image", default="bazaar/devstack:local")
    start.add_argument("--state-dir", type=Path, default=Path(".local/ecslocal"))
    for command in (start, again, commands.add_parser("down", help="remove the run's containers")):
        command.add_argument("--run", default=DEFAULT_RUN, help="names and labels the containers")
    return top


def _read_spec(path: Path) -> dict[str, object]:
    try:
        spec = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise SystemExit(f"ecslocal: --database-bootstrap {path}: {error}") from None
    if not isinstance(spec, dict) or not {"cluster", "tasks"} <= set(spec):
        raise SystemExit(f"ecslocal: {path} is not a database_bootstrap output (cluster, tasks)")
    return spec


def _options(arguments: argparse.Namespace) -> Options:
    return Options(
        moto_url=arguments.moto_url,
        region=arguments.region,
        network=arguments.network,
        run=arguments.run,
        gateway_port=getattr(arguments, "gateway_port", 0),
        postgres_image=getattr(arguments, "postgres_image", ""),
        gateway_image=getattr(arguments, "gateway_image", ""),
        state_directory=getattr(arguments, "state_dir", Path(".local/ecslocal")),
        timeout=arguments.timeout,
    )


def say(line: str) -> None:
    print(f"ecslocal: {line}", flush=True)


def main(argv: list[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    if arguments.command == "down":
        removed = asyncio.run(docker.remove_labelled(arguments.run))
        print(f"ecslocal: removed {removed} containers of {arguments.run}")
        return 0
    if arguments.command == "up" and not 1 <= arguments.gateway_port <= 65_535:
        print(f"ecslocal: --gateway-port {arguments.gateway_port} is not a port", file=sys.stderr)
        return 2
    try:
        spec = _read_spec(arguments.database_bootstrap)
        arguments.moto_url = emulator.checked_url(arguments.moto_url)
    except (SystemExit, ValueError) as error:
        print(f"ecslocal: {error}" if isinstance(error, ValueError) else error, file=sys.stderr)
        return 2
    options = _options(arguments)
    try:
        if arguments.command == "bootstrap":
            asyncio.run(bootstrap_again(options, spec, say=say))
            return 0
        summary = asyncio.run(up(options, spec, say=say))
    except (
        WiringError,
        TaskFailed,
        SecretError,
        ReadbackError,
        UnsupportedDefinition,
        docker.DockerError,
        RuntimeError,
        BotoCoreError,
        ClientError,
    ) as error:
        print(f"ecslocal: {error}", file=sys.stderr)
        print(
            f"ecslocal: what started is left to look at; remove it with "
            f"python -m bazaar_ecslocal down --run {arguments.run}",
            file=sys.stderr,
        )
        return 1
    for name, why in sorted(summary.skipped.items()):
        print(f"ecslocal: not run: {name}: {why}")
    for service, count in sorted(summary.tasks.items()):
        print(f"ecslocal: {service}: {count} tasks")
    print(f"ecslocal: up; the load balancer is {summary.gateway_url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
