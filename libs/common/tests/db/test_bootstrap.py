"""The database bootstrap task, for real: PostgreSQL checking passwords, moto's Secrets Manager.

The master user is made as Aurora makes it: CREATEROLE and CREATEDB, no
superuser. Each test bootstraps a database of its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from uuid import uuid4

import asyncpg
import pytest
from aiobotocore.session import get_session

from bazaar_common.db.bootstrap.__main__ import main
from bazaar_common.db.bootstrap.run import bootstrap
from bazaar_common.db.bootstrap.scram import scram_sha256_verifier
from bazaar_common.db.bootstrap.secret_store import BootstrapError, SecretsManagerStore
from bazaar_common.db.bootstrap.settings import BootstrapSettings, SslMode
from bazaar_common.testing.moto import REGION
from bazaar_common.testing.postgres import PostgresServer

MASTER = "bazaar_admin"


@pytest.fixture(scope="module")
def server() -> Iterator[PostgresServer]:
    postgres = PostgresServer(host_auth="scram-sha-256")
    postgres.initialise()
    postgres.start()
    yield postgres
    postgres.stop()
    postgres.remove()


@pytest.fixture(scope="module")
async def master_password(server: PostgresServer) -> str:
    password = f"master-{uuid4().hex}"
    connection = await asyncpg.connect(server.socket_dsn)
    try:
        await connection.execute(
            f"CREATE ROLE {MASTER} LOGIN CREATEROLE CREATEDB "
            f"PASSWORD '{scram_sha256_verifier(password)}'"
        )
    finally:
        await connection.close()
    return password


@pytest.fixture
async def secretsmanager(moto_server) -> AsyncIterator[Any]:
    async with get_session().create_client(
        "secretsmanager", region_name=REGION, endpoint_url=moto_server.url
    ) as client:
        yield client


@dataclass(frozen=True)
class Secrets:
    master: str
    owner: str
    app: str


@pytest.fixture
async def database_name() -> str:
    return f"svc_{uuid4().hex[:10]}"


@pytest.fixture
async def secrets(secretsmanager, master_password: str, database_name: str) -> Secrets:
    """The master secret as RDS keeps it, and the two empty ones Terraform makes."""
    prefix = f"test/{database_name}"
    master = await secretsmanager.create_secret(
        Name=f"{prefix}/master",
        SecretString=json.dumps({"username": MASTER, "password": master_password}),
    )
    owner = await secretsmanager.create_secret(Name=f"{prefix}/migrations-database-url")
    app = await secretsmanager.create_secret(Name=f"{prefix}/database-url")
    return Secrets(master["ARN"], owner["ARN"], app["ARN"])


@pytest.fixture
def settings(server: PostgresServer, secrets: Secrets, database_name: str, moto_server):
    def make(**overrides: Any) -> BootstrapSettings:
        values: dict[str, Any] = {
            "database_host": "127.0.0.1",
            "database_port": server.port,
            "database_name": database_name,
            "database_ssl": SslMode.DISABLE,
            "master_secret_arn": secrets.master,
            "owner_secret_arn": secrets.owner,
            "app_secret_arn": secrets.app,
            "aws_region": REGION,
            "aws_endpoint_url": moto_server.url,
        }
        return BootstrapSettings(**{**values, **overrides})

    return make


def environment_of(settings: BootstrapSettings) -> dict[str, str]:
    return {key.upper(): str(value) for key, value in settings.model_dump().items() if value}


async def url_in(secretsmanager, arn: str) -> str:
    return (await secretsmanager.get_secret_value(SecretId=arn))["SecretString"]


async def connect(url: str) -> asyncpg.Connection:
    parts = urlsplit(url)
    return await asyncpg.connect(
        host=parts.hostname,
        port=parts.port,
        user=parts.username,
        password=parts.password,
        database=parts.path.lstrip("/"),
    )


async def stored_passwords(server: PostgresServer, roles: list[str]) -> dict[str, str]:
    connection = await asyncpg.connect(server.socket_dsn)
    try:
        rows = await connection.fetch(
            "SELECT rolname, rolpassword FROM pg_authid WHERE rolname = ANY($1)", roles
        )
    finally:
        await connection.close()
    return {row["rolname"]: row["rolpassword"] for row in rows}


async def test_it_makes_the_database_and_both_logins(settings, secretsmanager, secrets):
    config = settings()
    changes = await bootstrap(config, SecretsManagerStore(secretsmanager))

    assert f"database {config.database_name} created" in changes.done
    owner_url = await url_in(secretsmanager, secrets.owner)
    app_url = await url_in(secretsmanager, secrets.app)
    assert urlsplit(owner_url).username == config.owner_role
    assert urlsplit(app_url).username == config.app_role
    assert owner_url.startswith("postgresql+asyncpg://")
    assert urlsplit(app_url).path == f"/{config.database_name}"

    owner = await connect(owner_url)
    try:
        await owner.execute("CREATE TABLE widgets (id bigserial PRIMARY KEY, name text)")
    finally:
        await owner.close()
    app = await connect(app_url)
    try:
        await app.execute("INSERT INTO widgets (name) VALUES ('gear')")
        await app.execute("UPDATE widgets SET name = 'cog'")
        assert await app.fetchval("SELECT name FROM widgets") == "cog"
        await app.execute("DELETE FROM widgets")
        for ddl in (
            "CREATE TABLE intruder (id int)",
            "DROP TABLE widgets",
            "ALTER TABLE widgets ADD COLUMN price int",
            "TRUNCATE widgets",
        ):
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await app.execute(ddl)
    finally:
        await app.close()


async def test_no_one_else_may_connect(settings, secretsmanager, server, master_password):
    config = settings()
    await bootstrap(config, SecretsManagerStore(secretsmanager))
    stranger = f"stranger_{uuid4().hex[:6]}"
    admin = await asyncpg.connect(server.socket_dsn)
    try:
        await admin.execute(f"CREATE ROLE {stranger} LOGIN PASSWORD 'stranger-pass'")
    finally:
        await admin.close()
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await asyncpg.connect(
            host="127.0.0.1",
            port=server.port,
            user=stranger,
            password="stranger-pass",
            database=config.database_name,
        )


async def test_a_second_run_changes_nothing(settings, secretsmanager, secrets, server):
    config = settings()
    store = SecretsManagerStore(secretsmanager)
    await bootstrap(config, store)
    versions = {
        arn: (await secretsmanager.get_secret_value(SecretId=arn))["VersionId"]
        for arn in (secrets.owner, secrets.app)
    }
    passwords = await stored_passwords(server, [config.owner_role, config.app_role])

    again = await bootstrap(config, store)

    assert again.done == []
    assert {
        arn: (await secretsmanager.get_secret_value(SecretId=arn))["VersionId"]
        for arn in (secrets.owner, secrets.app)
    } == versions
    assert await stored_passwords(server, [config.owner_role, config.app_role]) == passwords


async def test_a_secret_that_no_longer_signs_in_is_repaired(settings, secretsmanager, secrets):
    config = settings()
    store = SecretsManagerStore(secretsmanager)
    await bootstrap(config, store)
    broken = (await url_in(secretsmanager, secrets.app)).replace("@", "x@", 1)
    await secretsmanager.put_secret_value(SecretId=secrets.app, SecretString=broken)

    changes = await bootstrap(config, store)

    assert [change for change in changes.done if "new password" in change] == [
        f"secret {secrets.app.split(':', 6)[-1]}: new password for {config.app_role} (stale)"
    ]
    app = await connect(await url_in(secretsmanager, secrets.app))
    await app.close()


async def test_a_rotation_changes_both_passwords_and_both_still_work(
    settings, secretsmanager, secrets, server
):
    config = settings()
    await bootstrap(config, SecretsManagerStore(secretsmanager))
    before = await stored_passwords(server, [config.owner_role, config.app_role])

    await bootstrap(settings(rotate_passwords=True), SecretsManagerStore(secretsmanager))

    after = await stored_passwords(server, [config.owner_role, config.app_role])
    assert all(after[role] != before[role] for role in before)
    for arn in (secrets.owner, secrets.app):
        connection = await connect(await url_in(secretsmanager, arn))
        await connection.close()


async def test_the_password_is_sent_only_as_a_verifier(settings, secretsmanager, secrets, server):
    config = settings()
    await bootstrap(config, SecretsManagerStore(secretsmanager))
    password = urlsplit(await url_in(secretsmanager, secrets.app)).password
    assert password is not None
    assert len(password) >= 40
    stored = (await stored_passwords(server, [config.app_role]))[config.app_role]
    assert stored.startswith("SCRAM-SHA-256$4096:")
    assert password not in server.log_file.read_text()


async def test_a_master_that_cannot_sign_in_fails_clearly(settings, secretsmanager, secrets):
    await secretsmanager.put_secret_value(
        SecretId=secrets.master,
        SecretString=json.dumps({"username": MASTER, "password": "wrong"}),
    )
    with pytest.raises(BootstrapError, match=f"the master user {MASTER} cannot sign in"):
        await bootstrap(settings(), SecretsManagerStore(secretsmanager))
    # Nothing was written.
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        await secretsmanager.get_secret_value(SecretId=secrets.app)


async def test_a_secret_that_does_not_exist_is_a_wiring_error(settings, secretsmanager):
    missing = f"arn:aws:secretsmanager:{REGION}:123456789012:secret:nowhere-AbCdEf"
    with pytest.raises(BootstrapError, match="cannot read nowhere-AbCdEf"):
        await bootstrap(settings(app_secret_arn=missing), SecretsManagerStore(secretsmanager))


def test_the_command_prints_changes_and_never_a_password(settings, secrets):
    config = settings()
    command = [sys.executable, "-m", "bazaar_common.db.bootstrap"]
    environment = {**os.environ, **environment_of(config)}
    first = subprocess.run(
        command, env=environment, capture_output=True, text=True, timeout=60, check=False
    )
    second = subprocess.run(
        command, env=environment, capture_output=True, text=True, timeout=60, check=False
    )

    assert first.returncode == 0, first.stderr
    assert f"bootstrap: {config.database_name}: database {config.database_name} created" in (
        first.stdout
    )
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == f"bootstrap: {config.database_name}: ready, nothing to change"
    printed = first.stdout + first.stderr + second.stdout + second.stderr
    assert "postgresql+asyncpg://" not in printed
    assert "password" not in printed.lower().replace("new password for", "")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_NAME", "Orders; DROP"),
        ("APP_SECRET_ARN", "not-an-arn"),
        ("DATABASE_HOST", "host with spaces"),
        ("DATABASE_SSL", "maybe"),
    ],
)
def test_a_bad_setting_exits_2_naming_it(settings, monkeypatch, capsys, variable, value):
    for name, setting in {**environment_of(settings()), variable: value}.items():
        monkeypatch.setenv(name, setting)

    assert main() == 2

    printed = capsys.readouterr()
    assert printed.err.startswith("bootstrap: configuration error:")
    assert variable in printed.err
    assert printed.out == ""
