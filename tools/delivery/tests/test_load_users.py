"""load-users against a real Cognito API: the session's moto server.

The pool and app client are made here as the identity module makes them for
staging: an email attribute, the two groups, and a client whose explicit
auth flows include ALLOW_ADMIN_USER_PASSWORD_AUTH.
"""

from __future__ import annotations

import asyncio
import base64
import json
import stat
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from aiobotocore.session import get_session

from bazaar_common.testing.moto import REGION, MotoServer
from bazaar_delivery.__main__ import main

pytestmark = pytest.mark.slow


@pytest.fixture
async def cognito(moto_server: MotoServer) -> AsyncIterator[Any]:
    async with get_session().create_client(
        "cognito-idp", region_name=REGION, endpoint_url=moto_server.url
    ) as client:
        yield client


@pytest.fixture
async def pool(cognito: Any) -> dict[str, str]:
    created = await cognito.create_user_pool(
        PoolName=f"load-{uuid4().hex[:8]}-users",
        Policies={
            "PasswordPolicy": {
                "MinimumLength": 12,
                "RequireUppercase": True,
                "RequireLowercase": True,
                "RequireNumbers": True,
                "RequireSymbols": False,
            }
        },
        AdminCreateUserConfig={"AllowAdminCreateUserOnly": True},
        UsernameConfiguration={"CaseSensitive": False},
    )
    pool_id = created["UserPool"]["Id"]
    client = await cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="app",
        GenerateSecret=False,
        ExplicitAuthFlows=[
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        ],
    )
    for group in ("customers", "admins"):
        await cognito.create_group(UserPoolId=pool_id, GroupName=group)
    return {"pool_id": pool_id, "client_id": client["UserPoolClient"]["ClientId"]}


def cli(moto_server: MotoServer, pool: dict[str, str], *arguments: str) -> int:
    """The command as deploy.yml runs it (its own event loop: call it off the tests' loop)."""
    return main(
        [
            "load-users",
            f"--pool-id={pool['pool_id']}",
            f"--region={REGION}",
            f"--endpoint-url={moto_server.url}",
            *arguments,
        ]
    )


async def usernames(cognito: Any, pool_id: str) -> set[str]:
    page = await cognito.list_users(UserPoolId=pool_id, Limit=60)
    return {user["Username"] for user in page["Users"]}


def claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * 4))
    return decoded


async def test_users_are_made_signed_in_and_their_tokens_written_for_the_owner_only(
    moto_server: MotoServer,
    pool: dict[str, str],
    cognito: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "load" / "tokens.json"
    code = await asyncio.to_thread(
        cli,
        moto_server,
        pool,
        f"--client-id={pool['client_id']}",
        "--count=3",
        f"--out={out}",
        "--prefix=load-run-1",
    )
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert printed.out == "load-run-1\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    tokens = json.loads(out.read_text(encoding="utf-8"))
    assert set(tokens) == {"prefix", "customers", "admin"}
    assert len(tokens["customers"]) == 3
    for number, token in enumerate(tokens["customers"]):
        assert claims(token)["username"] == f"load-run-1-customer-{number}"
        assert claims(token)["cognito:groups"] == ["customers"]
        assert claims(token)["client_id"] == pool["client_id"]
        assert token not in printed.out + printed.err
    assert claims(tokens["admin"])["cognito:groups"] == ["admins"]
    assert await usernames(cognito, pool["pool_id"]) == {
        "load-run-1-customer-0",
        "load-run-1-customer-1",
        "load-run-1-customer-2",
        "load-run-1-admin",
    }


async def test_delete_removes_exactly_the_users_under_the_prefix(
    moto_server: MotoServer, pool: dict[str, str], cognito: Any, tmp_path: Path
) -> None:
    pool_id = pool["pool_id"]
    for name in ("alice", "load-run-10-customer-0"):  # a real user, another run's
        await cognito.admin_create_user(UserPoolId=pool_id, Username=name)
    out = tmp_path / "tokens.json"
    make = (f"--client-id={pool['client_id']}", "--count=2", f"--out={out}")
    assert await asyncio.to_thread(cli, moto_server, pool, *make, "--prefix=load-run-1") == 0
    delete = ("--delete", "--prefix=load-run-1")
    assert await asyncio.to_thread(cli, moto_server, pool, *delete) == 0
    assert await usernames(cognito, pool_id) == {"alice", "load-run-10-customer-0"}
    # Deleting again (deploy.yml's cleanup after a failed mint) finds nothing: fine.
    assert await asyncio.to_thread(cli, moto_server, pool, *delete) == 0


async def test_a_failure_halfway_leaves_no_user_behind(
    moto_server: MotoServer,
    pool: dict[str, str],
    cognito: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await cognito.delete_group(UserPoolId=pool["pool_id"], GroupName="admins")
    out = tmp_path / "tokens.json"
    code = await asyncio.to_thread(
        cli,
        moto_server,
        pool,
        f"--client-id={pool['client_id']}",
        "--count=2",
        f"--out={out}",
        "--prefix=load-run-2",
    )
    assert code == 1
    assert "AdminAddUserToGroup of load-run-2-admin" in capsys.readouterr().err
    assert await usernames(cognito, pool["pool_id"]) == set()
    assert not out.exists()


@pytest.mark.parametrize("prefix", ["alice", "load-", "Load-run", "load-a--b", "load-" + "x" * 40])
def test_a_prefix_that_could_name_real_users_is_refused(
    moto_server: MotoServer, pool: dict[str, str], prefix: str, capsys
) -> None:
    assert cli(moto_server, pool, "--delete", f"--prefix={prefix}") == 2
    assert "not a load-test prefix" in capsys.readouterr().err


def test_what_is_missing_is_named(
    moto_server: MotoServer, pool: dict[str, str], tmp_path: Path, capsys
) -> None:
    assert cli(moto_server, pool, "--delete") == 2
    assert "--delete needs the --prefix" in capsys.readouterr().err
    assert cli(moto_server, pool, "--count=2") == 2
    assert "needs --client-id, --out" in capsys.readouterr().err
    out = f"--out={tmp_path / 't.json'}"
    assert cli(moto_server, pool, "--client-id=x", "--count=0", out) == 2
    assert "--count must be 1 to 200" in capsys.readouterr().err
