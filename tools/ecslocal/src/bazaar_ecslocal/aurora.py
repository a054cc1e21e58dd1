"""PostgreSQL standing in for the Aurora cluster: its endpoints' names, TLS only, its master user.

The master user is made as Aurora makes it from its managed secret: the
secret's user name and password, with CREATEROLE and CREATEDB but no
superuser (Aurora's rds_superuser). moto writes that secret itself (its
user name is not the cluster's MasterUsername; the secret is what the
bootstrap reads, so it is what counts here).
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from typing import Any

from bazaar_common.db.bootstrap.schema_access import quoted
from bazaar_common.db.bootstrap.scram import scram_sha256_verifier
from bazaar_ecslocal import docker
from bazaar_ecslocal.model import Database
from bazaar_ecslocal.secret_values import resolve

DEFAULT_IMAGE = "bazaar/postgres:15"


async def start(
    database: Database,
    secretsmanager: Any,
    *,
    name: str,
    run: str,
    network: str,
    image: str,
    within: float = 120,
) -> None:
    login = json.loads(await resolve(secretsmanager, database.master_secret_arn))
    await docker.docker(
        "run",
        *docker.detached(name=name, run=run, network=network),
        *[f"--network-alias={endpoint}" for endpoint in database.endpoints],
        "--read-only",
        "--tmpfs=/tmp",
        "--tmpfs=/var/run/postgresql",
        # Data in an anonymous volume, removed with the container.
        "--volume=/var/lib/postgresql/data",
        "-e",
        "POSTGRES_PASSWORD",
        "-e",
        "POSTGRES_REQUIRE_TLS",
        f"--health-cmd=pg_isready -h 127.0.0.1 -p {database.port} -U postgres",
        "--health-interval=1s",
        "--health-retries=60",
        image,
        "-c",
        f"port={database.port}",
        environment={
            # The stand-in's own superuser, used only over its Unix socket.
            "POSTGRES_PASSWORD": secrets.token_urlsafe(24),
            # Aurora's rds.force_ssl: the platform's URLs say ssl=require.
            "POSTGRES_REQUIRE_TLS": "1",
        },
    )
    deadline = time.monotonic() + within
    while (await docker.state(name)).health != "healthy":
        if (await docker.state(name)).status == "exited" or time.monotonic() > deadline:
            raise RuntimeError(
                f"the database stand-in did not start:\n{await docker.logs_tail(name)}"
            )
        await asyncio.sleep(1)
    verifier = scram_sha256_verifier(str(login["password"]))
    await docker.docker(
        "exec",
        name,
        "psql",
        "-h",
        "/tmp",  # noqa: S108 - the stand-in's socket directory, inside its container
        "-p",
        str(database.port),
        "-U",
        "postgres",
        "-v",
        "ON_ERROR_STOP=1",
        "-qc",
        f"CREATE ROLE {quoted(str(login['username']))} LOGIN CREATEROLE CREATEDB "
        f"PASSWORD '{verifier}'",
    )
