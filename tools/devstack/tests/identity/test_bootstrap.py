"""The local pool: created once, found again by name, and only ever on an emulator."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import pytest

from bazaar_common.testing.moto import REGION, MotoServer
from bazaar_devstack.cognito import (
    DEMO_USERS,
    NotAnEmulator,
    bootstrap_identity,
    cognito_client,
    require_emulator,
)


async def test_a_second_bootstrap_reuses_the_pool_client_and_users(moto_server: MotoServer):
    prefix = f"id{uuid4().hex[:8]}"

    first = await bootstrap_identity(moto_server.url, REGION, prefix=prefix)
    second = await bootstrap_identity(moto_server.url, REGION, prefix=prefix)

    assert second == first
    async with cognito_client(moto_server.url, REGION) as cognito:
        pools = (await cognito.list_user_pools(MaxResults=60))["UserPools"]
        assert [p["Id"] for p in pools if p["Name"] == f"{prefix}-users"] == [first.pool_id]
        clients = (await cognito.list_user_pool_clients(UserPoolId=first.pool_id))[
            "UserPoolClients"
        ]
        assert [c["ClientId"] for c in clients] == [first.client_id]
        users = (await cognito.list_users(UserPoolId=first.pool_id))["Users"]
        assert sorted(u["Username"] for u in users) == sorted(DEMO_USERS)
        assert {u["UserStatus"] for u in users} == {"CONFIRMED"}
        for username, group in DEMO_USERS.items():
            groups = await cognito.admin_list_groups_for_user(
                UserPoolId=first.pool_id, Username=username
            )
            assert [g["GroupName"] for g in groups["Groups"]] == [group]


async def test_the_client_has_no_secret_and_allows_password_sign_in(identity, moto_server):
    async with cognito_client(moto_server.url, REGION) as cognito:
        client = (
            await cognito.describe_user_pool_client(
                UserPoolId=identity.pool_id, ClientId=identity.client_id
            )
        )["UserPoolClient"]
        pool = (await cognito.describe_user_pool(UserPoolId=identity.pool_id))["UserPool"]

    assert "ClientSecret" not in client
    assert set(client["ExplicitAuthFlows"]) == {
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
    }
    assert pool["MfaConfiguration"] == "OFF"
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 12


def test_the_services_settings_name_the_pool(identity, moto_server):
    assert identity.service_environment() == {
        "AUTH_ISSUER": f"https://cognito-idp.{REGION}.amazonaws.com/{identity.pool_id}",
        "AUTH_JWKS_URL": f"{moto_server.url}/{identity.pool_id}/.well-known/jwks.json",
        "AUTH_CLIENT_IDS": identity.client_id,
    }


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://cognito-idp.eu-west-1.amazonaws.com",
        "http://10.0.0.5:5000",
        "http://moto:5000",
        "http://127.0.0.1.example.com:5000",
        "not a url",
    ],
)
async def test_anything_but_a_local_emulator_is_refused_before_any_call(endpoint):
    with pytest.raises(NotAnEmulator, match="loopback"):
        await bootstrap_identity(endpoint, REGION, prefix="never")


@pytest.mark.parametrize(
    "endpoint",
    ["http://127.0.0.1:5000", "http://127.9.9.9:1", "http://localhost:5000", "http://[::1]:5000"],
)
def test_loopback_endpoints_are_emulators(endpoint):
    try:
        require_emulator(endpoint)
    except NotAnEmulator as refused:
        pytest.fail(f"{endpoint} is loopback, yet refused as no emulator: {refused}")


def test_a_named_emulator_host_is_allowed_only_when_named():
    require_emulator("http://moto:5000", emulator_hosts={"moto"})
    with pytest.raises(NotAnEmulator):
        require_emulator(
            "https://cognito-idp.eu-west-1.amazonaws.com",
            emulator_hosts={"cognito-idp.eu-west-1.amazonaws.com"},
        )


async def subjects(moto_server: MotoServer, pool_id: str) -> dict[str, str]:
    async with cognito_client(moto_server.url, REGION) as cognito:
        users = (await cognito.list_users(UserPoolId=pool_id))["Users"]
    return {
        user["Username"]: next(a["Value"] for a in user["Attributes"] if a["Name"] == "sub")
        for user in users
    }


async def forget_pool(moto_server: MotoServer, pool_id: str) -> None:
    """What a restart of moto does to the pool (it keeps nothing)."""
    async with cognito_client(moto_server.url, REGION) as cognito:
        await cognito.delete_user_pool(UserPoolId=pool_id)


@pytest.fixture(scope="module")
def quiet_moto() -> Iterator[MotoServer]:
    """A moto of this module's own, talked to by nothing else.

    A seeded bootstrap gets the same ids only if no other request draws from
    moto's random generator meanwhile (every response's request id does); on
    the session's moto, apps of other tests keep polling their queues.
    """
    server = MotoServer().start()
    yield server
    server.stop()


@pytest.mark.parametrize("stable_ids", [True, False])
async def test_stable_ids_give_a_recreated_pool_the_same_ids_and_subjects(
    quiet_moto: MotoServer, stable_ids: bool
):
    prefix = f"id{uuid4().hex[:8]}"
    first = await bootstrap_identity(quiet_moto.url, REGION, prefix=prefix, stable_ids=stable_ids)
    first_subjects = await subjects(quiet_moto, first.pool_id)
    await forget_pool(quiet_moto, first.pool_id)

    again = await bootstrap_identity(quiet_moto.url, REGION, prefix=prefix, stable_ids=stable_ids)

    # Customer ids (sub) must survive a restart, or orders kept in Postgres lose their owner.
    assert (again == first) is stable_ids
    assert (await subjects(quiet_moto, again.pool_id) == first_subjects) is stable_ids
