"""Run the inventory service natively, for trying it out on this machine.

Starts (or reuses) a Postgres kept under ``.local/postgres`` unless
``DATABASE_URL`` is set, a moto server standing in for EventBridge and SQS
(with the bus, queues and rules of the catalog's topology), a local token
issuer on loopback that prints an admin and a customer access token, then
runs the service until Ctrl-C.
The full local stack (moto Cognito, every service, the gateway) comes with
the local runtime; this is the single-service slice of it.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import asyncpg

from bazaar_common.catalog import discover, load_own_entry
from bazaar_common.messaging.bootstrap import bootstrap
from bazaar_common.messaging.topology import build_topology
from bazaar_common.testing.moto import FAKE_CREDENTIALS, MotoServer
from bazaar_common.testing.postgres import PostgresServer
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


def main() -> int:
    # `kill` and `timeout` send SIGTERM: clean up exactly as for Ctrl-C.
    signal.signal(signal.SIGTERM, _interrupt)
    entry = load_own_entry("bazaar_inventory")
    port = int(os.environ.get("PORT", entry.port))
    if port_in_use(port):
        raise SystemExit(f"port {port} is taken: stop what runs there or set PORT")
    with ExitStack() as cleanup:
        database_url, owned_server = local_postgres(entry.database)
        if owned_server is not None:
            cleanup.callback(_stop_postgres, owned_server)
        moto = MotoServer().start()
        cleanup.callback(moto.stop)
        os.environ.update(FAKE_CREDENTIALS)  # moto takes any; botocore wants some
        prefix = os.environ.get("RESOURCE_PREFIX", "bazaar")
        region = os.environ.get("AWS_REGION", "eu-west-1")
        topology = build_topology(discover(ROOT), prefix=prefix)
        asyncio.run(bootstrap(topology, endpoint_url=moto.url, region=region))
        print(f"aws (moto): {moto.url}, bus {topology.bus_name}")
        issuer = JwksServer().start()
        cleanup.callback(issuer.stop)
        env = {
            **os.environ,
            **FAKE_CREDENTIALS,
            "DATABASE_URL": database_url,
            "PORT": str(port),
            "AWS_ENDPOINT_URL": moto.url,
            "AWS_REGION": region,
            "RESOURCE_PREFIX": prefix,
        }
        if "AUTH_ISSUER" not in os.environ:
            env["AUTH_ISSUER"] = issuer.issuer_url
            env["AUTH_CLIENT_IDS"] = issuer.issuer.client_id
            print(f"admin token (1 h):    {issuer.issuer.admin_token()}")
            print(f"customer token (1 h): {issuer.issuer.customer_token()}")
        print(f"inventory: http://127.0.0.1:{port}{entry.route.path_prefix}/products")
        service = subprocess.Popen([sys.executable, "-m", "bazaar_inventory"], env=env)
        try:
            return service.wait()
        except KeyboardInterrupt:
            service.send_signal(signal.SIGTERM)
            service.wait(timeout=30)
            return 0  # stopped because we were asked to


def _stop_postgres(server: PostgresServer) -> None:
    server.stop()
    print("postgres: stopped (data kept)")


if __name__ == "__main__":
    sys.exit(main())
