"""Run every service natively, for trying the system out on this machine.

Starts (or reuses) a Postgres kept under ``.local/postgres`` unless
``DATABASE_URL`` is set (then each service's database is created on that
server), a moto server standing in for EventBridge and SQS (with the bus,
queues and rules of the catalog's topology), a local token issuer on
loopback that prints an admin and two customer access tokens, then every
service of the catalog on its catalog port, with logs under ``.local/logs``,
until Ctrl-C. The gateway, moto's Cognito and OpenTelemetry come with the
local runtime (issue 5); this runs the services and what they need.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from bazaar_common.catalog import discover
from bazaar_common.messaging.bootstrap import bootstrap
from bazaar_common.messaging.topology import build_topology
from bazaar_common.testing.database import plain_dsn
from bazaar_common.testing.moto import FAKE_CREDENTIALS, MotoServer
from bazaar_common.testing.postgres import PostgresServer
from bazaar_common.testing.service_process import ServiceProcess
from bazaar_common.testing.tokens import JwksServer

ROOT = Path(__file__).resolve().parent.parent
LOCAL_POSTGRES_PORT = 55432


async def ensure_database(admin_dsn: str, name: str) -> None:
    connection = await asyncpg.connect(admin_dsn)
    try:
        exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def local_postgres(database: str) -> tuple[str, PostgresServer | None]:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"], None
    server = PostgresServer(ROOT / ".local" / "postgres", port=LOCAL_POSTGRES_PORT)
    server.initialise()
    if server.is_running():
        print(f"postgres: reusing the server on port {server.port}")
        owned = None
    elif port_in_use(server.port):
        raise SystemExit(
            f"port {server.port} is taken by another program: stop it or set DATABASE_URL"
        )
    else:
        print(f"postgres: starting on port {server.port}, data in {server.data_dir}")
        server.start()
        owned = server
    asyncio.run(ensure_database(server.admin_dsn, database))
    return server.url(database), owned


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def database_url_for(base_url: str, database: str) -> str:
    """``base_url`` pointed at another database on the same server."""
    return str(make_url(base_url).set(database=database).render_as_string(hide_password=False))


def main() -> int:
    # `kill` and `timeout` send SIGTERM: clean up exactly as for Ctrl-C.
    signal.signal(signal.SIGTERM, _interrupt)
    entries = discover(ROOT)
    ports = {entry.name: entry.port for entry in entries}
    taken = [f"{entry.name} ({entry.port})" for entry in entries if port_in_use(entry.port)]
    if taken:
        raise SystemExit(f"ports taken: {', '.join(taken)}: stop what runs there first")
    logs = ROOT / ".local" / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    with ExitStack() as cleanup:
        base_url, owned_server = local_postgres(entries[0].database)
        if owned_server is not None:
            cleanup.callback(_stop_postgres, owned_server)
        for entry in entries:
            asyncio.run(ensure_database(plain_dsn(base_url), entry.database))
        moto = MotoServer().start()
        cleanup.callback(moto.stop)
        os.environ.update(FAKE_CREDENTIALS)  # moto takes any; botocore wants some
        prefix = os.environ.get("RESOURCE_PREFIX", "bazaar")
        region = os.environ.get("AWS_REGION", "eu-west-1")
        topology = build_topology(entries, prefix=prefix)
        asyncio.run(bootstrap(topology, endpoint_url=moto.url, region=region))
        print(f"aws (moto): {moto.url}, bus {topology.bus_name}")
        issuer = JwksServer().start()
        cleanup.callback(issuer.stop)
        shared = {
            **FAKE_CREDENTIALS,
            "AWS_ENDPOINT_URL": moto.url,
            "AWS_REGION": region,
            "RESOURCE_PREFIX": prefix,
            "INVENTORY_URL": f"http://127.0.0.1:{ports['inventory']}",
        }
        if "AUTH_ISSUER" not in os.environ:
            shared["AUTH_ISSUER"] = issuer.issuer_url
            shared["AUTH_CLIENT_IDS"] = issuer.issuer.client_id
            print(f"admin token (ada, 1 h):    {issuer.issuer.admin_token('ada')}")
            print(f"customer token (alice, 1 h): {issuer.issuer.customer_token('alice')}")
            print(f"customer token (bob, 1 h):   {issuer.issuer.customer_token('bob')}")
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
            cleanup.callback(process.stop)
            process.start()
        try:
            for process in services:
                process.wait_ready()
            print(f"\n{'service':<11} {'url':<40} health")
            for entry, process in zip(entries, services, strict=True):
                print(f"{entry.name:<11} {process.url + entry.route.path_prefix:<40} ready")
            print(f"\nlogs in {logs}; Ctrl-C stops everything")
            while all(process.running for process in services):
                time.sleep(0.5)
            stopped = [
                entry.name for entry, p in zip(entries, services, strict=True) if not p.running
            ]
            print(f"stopped unexpectedly: {', '.join(stopped)} (see its log)", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            # Ctrl-C reaches every process of the terminal's group, and make
            # passes a SIGTERM on: one request to stop is enough; the
            # services drain while the clean-up below waits for them.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            print("\nstopping")
            return 0  # stopped because we were asked to


def _stop_postgres(server: PostgresServer) -> None:
    server.stop()
    print("postgres: stopped (data kept)")


if __name__ == "__main__":
    sys.exit(main())
