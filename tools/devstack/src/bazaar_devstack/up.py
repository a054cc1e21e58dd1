"""``python -m bazaar_devstack.up`` (``make run``): the whole system on this machine, until Ctrl-C.

In order, with a line of progress each: PostgreSQL (``DATABASE_URL`` if set,
else a server of its own with its data under ``.local/postgres``, kept
between runs), a moto server (EventBridge, SQS, Cognito, S3), the local AWS
resources (the bus, queues, DLQs and rules of the catalog's topology; a
Cognito user pool with its app client, groups and demo users), every
service of the catalog on its catalog port, the seeded catalog, and the
gateway on one port. Then a status table.

While it runs, a process that exits on its own (a crash, a ``kill -9``) is
started again after a growing delay, said on the terminal, and the rest keep
running, as ECS replaces a task (``supervisor.py``): a restarted moto gets its
bus, queues and user pool back from the same bootstrap (what was in flight
is lost). A service stopped with SIGTERM drains first, failing ``/readyz``
until the gateway has taken it out. Ctrl-C (or SIGTERM) stops everything in
reverse; the data is kept.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from bazaar_common.archive.bucket import archive_bucket_name
from bazaar_common.catalog import ServiceEntry, discover
from bazaar_common.messaging.bootstrap import bootstrap, local_environment
from bazaar_common.messaging.topology import build_topology
from bazaar_common.testing.database import plain_dsn
from bazaar_common.testing.moto import FAKE_CREDENTIALS, MotoServer
from bazaar_common.testing.postgres import PostgresNotFound, PostgresServer, find_binary
from bazaar_common.testing.service_process import ServiceProcess, answers_200
from bazaar_devstack import state, web
from bazaar_devstack.cognito import (
    DEMO_PASSWORD,
    DEMO_USERS,
    Identity,
    access_token,
    bootstrap_identity,
)
from bazaar_devstack.drain import drain_seconds
from bazaar_devstack.gateway.health import HealthCheckSettings
from bazaar_devstack.gateway.nginx import NginxError, find_nginx
from bazaar_devstack.seed import seed_catalog
from bazaar_devstack.supervisor import Supervisor, moto_member, service_member

LOCAL_POSTGRES_PORT = 55432
DEFAULT_GATEWAY_PORT = 8080


class StartupError(Exception):
    """Something this machine lacks or holds: said in one line, nothing left running."""


def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def check_machine(
    root: Path, entries: list[ServiceEntry], gateway_port: int, *, own_postgres: bool
) -> None:
    """Fail fast, before anything starts: every tool present, the app built, every port free."""
    try:
        find_nginx()
        if own_postgres:
            find_binary("initdb")
    except (NginxError, PostgresNotFound) as missing:
        raise StartupError(f"{missing} (scripts/bootstrap.sh installs it)") from None
    ports = {f"{entry.name}": entry.port for entry in entries} | {"gateway": gateway_port}
    if own_postgres:
        ports["postgres"] = LOCAL_POSTGRES_PORT
    taken = [f"{name} ({port})" for name, port in ports.items() if port_in_use(port)]
    if own_postgres and f"postgres ({LOCAL_POSTGRES_PORT})" in taken:
        server = PostgresServer(Path(".local") / "postgres", port=LOCAL_POSTGRES_PORT)
        if server.is_running():  # ours, left running by an earlier run: reused
            taken.remove(f"postgres ({LOCAL_POSTGRES_PORT})")
    if taken:
        raise StartupError(f"ports taken: {', '.join(taken)}; stop what runs there first")
    try:
        web.built_app(root)
    except FileNotFoundError as missing:
        raise StartupError(str(missing)) from None


async def ensure_database(admin_dsn: str, name: str) -> None:
    connection = await asyncpg.connect(admin_dsn)
    try:
        exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


def database_url_for(base_url: str, database: str) -> str:
    """``base_url`` pointed at another database on the same server."""
    return str(make_url(base_url).set(database=database).render_as_string(hide_password=False))


def start_postgres(root: Path, cleanup: ExitStack) -> str:
    """A ``postgresql+asyncpg://`` URL of a superuser on the server to use."""
    if os.environ.get("DATABASE_URL"):
        print("postgres: using DATABASE_URL")
        return os.environ["DATABASE_URL"]
    server = PostgresServer(root / ".local" / "postgres", port=LOCAL_POSTGRES_PORT)
    server.initialise()
    if server.is_running():
        print(f"postgres: reusing the server on port {server.port}")
    else:
        print(f"postgres: starting on port {server.port}, data in {server.data_dir}")
        server.start()
        cleanup.callback(_stop_postgres, server)
    return server.url("postgres")


def _stop_postgres(server: PostgresServer) -> None:
    server.stop()
    print("postgres: stopped (data kept)")


def wait_until_ok(url: str, *, within: float = 60.0) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if answers_200(url):
            return
        time.sleep(0.2)
    raise StartupError(f"{url} did not answer 200 within {within} s")


def start_gateway(
    root: Path, port: int, entries: list[ServiceEntry], logs: Path, web: list[str]
) -> subprocess.Popen[bytes]:
    """The gateway to every service, and with ``web`` (its flags) the browser app."""
    targets = [f"--target={entry.name}=http://127.0.0.1:{entry.port}" for entry in entries]
    log = (logs / "gateway.log").open("ab")
    return subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [
            sys.executable,
            "-m",
            "bazaar_devstack.gateway",
            f"--port={port}",
            f"--root={root}",
            *web,
            *targets,
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _stop_process(process: subprocess.Popen[bytes], within: float = 15.0) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=within)
        except subprocess.TimeoutExpired:
            process.kill()


def identity_check(
    moto: MotoServer, region: str, prefix: str, identity: Identity
) -> Callable[[], None]:
    """After moto restarts: the user pool again, with its ids (seeded, see bootstrap_identity)."""

    def check() -> None:
        again = asyncio.run(bootstrap_identity(moto.url, region, prefix=prefix, stable_ids=True))
        if again != identity:
            print(
                f"moto: the user pool came back as {again.pool_id}, not {identity.pool_id}: "
                "tokens will fail; restart make run",
                file=sys.stderr,
            )

    return check


def _interrupt(signum: int, frame: object) -> None:
    """The first request to stop; any after it is ignored.

    Ctrl-C reaches every process of the terminal's group, make passes a
    SIGTERM on, and ``uv run`` forwards the one it gets: a second signal
    must not cut the clean-up the first one started.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


def run(root: Path, gateway_port: int) -> int:
    entries = discover(root)
    check_machine(root, entries, gateway_port, own_postgres=not os.environ.get("DATABASE_URL"))
    logs = root / ".local" / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    prefix = os.environ.get("RESOURCE_PREFIX", "bazaar")
    region = os.environ.get("AWS_REGION", "eu-west-1")
    ports = {entry.name: entry.port for entry in entries}
    with ExitStack() as cleanup:
        base_url = start_postgres(root, cleanup)
        for entry in entries:
            asyncio.run(ensure_database(plain_dsn(base_url), entry.database))
        moto = MotoServer().start()
        cleanup.callback(moto.stop)
        os.environ.update(FAKE_CREDENTIALS)  # moto takes any; botocore wants some
        topology = build_topology(entries, prefix=prefix)
        asyncio.run(bootstrap(topology, endpoint_url=moto.url, region=region))
        print(
            f"aws (moto): {moto.url}: bus {topology.bus_name}, {len(topology.queues)} queues, "
            f"event archive s3://{archive_bucket_name(prefix)}"
        )
        identity = asyncio.run(bootstrap_identity(moto.url, region, prefix=prefix, stable_ids=True))
        state_file = root / ".local" / "devstack.json"
        state.save(state.DevstackState(moto.url, region, identity, prefix, base_url), state_file)
        cleanup.callback(state.clear, state_file)
        users = ", ".join(f"{name} ({group})" for name, group in DEMO_USERS.items())
        print(f"cognito (moto): pool {identity.pool_id}, users {users}, password {DEMO_PASSWORD}")
        shared = {
            "ENVIRONMENT": "local",
            **FAKE_CREDENTIALS,
            **identity.service_environment(),
            "AWS_ENDPOINT_URL": moto.url,
            "AWS_REGION": region,
            "RESOURCE_PREFIX": prefix,
            **local_environment(topology),
            "INVENTORY_URL": f"http://127.0.0.1:{ports['inventory']}",
            "DRAIN_SECONDS": str(drain_seconds(HealthCheckSettings())),
        }
        services = [
            ServiceProcess(
                entry.package,
                port=entry.port,
                env={**shared, "DATABASE_URL": database_url_for(base_url, entry.database)},
                log_path=logs / f"{entry.name}.log",
            )
            for entry in entries
        ]
        for process in services:
            cleanup.callback(process.stop, drain=False)
            process.start()
        for entry, process in zip(entries, services, strict=True):
            process.wait_ready()
            print(f"{entry.name}: ready on port {entry.port}")
        admin = asyncio.run(access_token(moto.url, region, identity, "ada"))
        report = asyncio.run(seed_catalog(f"http://127.0.0.1:{ports['inventory']}", admin))
        print(
            f"catalog: {len(report.created)} products added, {len(report.existing)} there already"
        )
        app = web.gateway_arguments(root, logs.parent / "web", identity, moto.url)
        gateway = start_gateway(root, gateway_port, entries, logs, app)
        cleanup.callback(_stop_process, gateway)
        gateway_url = f"http://127.0.0.1:{gateway_port}"
        for entry in entries:
            # Each service's API document, through its route: 200 once the
            # gateway's health checks have found the service healthy.
            wait_until_ok(f"{gateway_url}{entry.route.path_prefix}/openapi.json")
        print_status(entries, services, gateway_url)
        print(f"\nthe storefront and console: {gateway_url}/ (sign in as alice or ada)")
        print(f"logs in {logs}; tokens: make -s token USER=alice; Ctrl-C stops everything")
        supervisor = Supervisor(
            [
                moto_member(
                    moto,
                    topology,
                    region,
                    {e.name: plain_dsn(database_url_for(base_url, e.database)) for e in entries},
                    then=identity_check(moto, region, prefix, identity),
                ),
                *(
                    service_member(entry.name, process)
                    for entry, process in zip(entries, services, strict=True)
                ),
            ],
            say=lambda line: print(line, flush=True),
        )
        try:
            # The gateway is not restarted: its nginx would outlive a killed
            # gateway process and hold the port. Losing it stops everything.
            while gateway.poll() is None:
                supervisor.check()
                time.sleep(0.5)
        except KeyboardInterrupt:
            print("\nstopping")
            return 0
        print("stopped unexpectedly: the gateway (see its log)", file=sys.stderr)
        return 1


def print_status(
    entries: list[ServiceEntry], services: list[ServiceProcess], gateway_url: str
) -> None:
    print(f"\n{'service':<11} {'through the gateway':<38} {'direct':<24} health")
    for entry, process in zip(entries, services, strict=True):
        health = "ready" if answers_200(process.url + entry.health_path) else "NOT READY"
        routed = gateway_url + entry.route.path_prefix
        print(f"{entry.name:<11} {routed:<38} {process.url:<24} {health}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bazaar_devstack.up", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the repository checkout")
    parser.add_argument(
        "--gateway-port",
        type=int,
        default=int(os.environ.get("GATEWAY_PORT", DEFAULT_GATEWAY_PORT)),
    )
    arguments = parser.parse_args(argv)
    # `kill` and `timeout` send SIGTERM: clean up exactly as for Ctrl-C.
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    try:
        return run(arguments.root.resolve(), arguments.gateway_port)
    except StartupError as error:
        print(f"make run: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nstopped while starting")
        return 130


if __name__ == "__main__":
    sys.exit(main())
