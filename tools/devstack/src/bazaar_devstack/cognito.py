"""The local Cognito: a user pool on the moto server, its app client, groups and demo users.

Moto signs real RS256 tokens with a key pair published inside moto itself
(kid ``dummy``), so anyone can forge its tokens: this module talks only to an
emulator on this machine and refuses any other endpoint. The demo passwords
are public for the same reason; they exist nowhere but in the emulator.

The services verify moto's tokens exactly as Cognito's, once configured with
:meth:`Identity.service_environment` (issuer, JWKS URL and client id).
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import AsyncIterator, Collection, Mapping
from contextlib import asynccontextmanager, suppress
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiobotocore.config import AioConfig
from aiobotocore.session import get_session

from bazaar_common.testing.moto import FAKE_CREDENTIALS

# Public on purpose (README): a local, emulated pool only.
DEMO_PASSWORD = "Bazaar-local-1"  # noqa: S105
CUSTOMERS_GROUP = "customers"
ADMINS_GROUP = "admins"
# Group names are those bazaar_common.auth.principal maps to roles.
DEMO_USERS: Mapping[str, str] = {
    "alice": CUSTOMERS_GROUP,
    "bob": CUSTOMERS_GROUP,
    "ada": ADMINS_GROUP,
}
GROUP_DESCRIPTIONS: Mapping[str, str] = {
    CUSTOMERS_GROUP: "Shoppers: place and read their own orders",
    ADMINS_GROUP: "Operators: manage the catalog, read every order and the audit log",
}
PASSWORD_POLICY = {
    "MinimumLength": 12,
    "RequireUppercase": True,
    "RequireLowercase": True,
    "RequireNumbers": True,
    "RequireSymbols": False,
}
# USER_PASSWORD_AUTH so a script can sign in with a name and password (no SRP).
AUTH_FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
# A local call either answers at once or the emulator is down: fail fast.
CLIENT_CONFIG = AioConfig(
    connect_timeout=2, read_timeout=10, retries={"max_attempts": 2, "mode": "standard"}
)
PAGE_SIZE = 60  # the most Cognito's list calls return per page
SEED_TIMEOUT = aiohttp.ClientTimeout(total=5)


class IdentityError(Exception):
    """Something a developer must fix; the message says what."""


class NotAnEmulator(IdentityError):
    def __init__(self, endpoint_url: str) -> None:
        super().__init__(
            f"refusing to set up demo users at {endpoint_url!r}: the local identity runs only "
            "against a Cognito emulator on loopback (its passwords and signing key are public)"
        )


class SignInRefused(IdentityError):
    def __init__(self, username: str, reason: str) -> None:
        super().__init__(f"sign-in as {username!r} refused by the local Cognito: {reason}")
        self.username = username


@dataclass(frozen=True, slots=True)
class Identity:
    """What a service (AUTH_*) and a token client need to know about the local pool."""

    pool_id: str
    client_id: str
    issuer: str
    jwks_url: str

    def service_environment(self) -> dict[str, str]:
        """The services' settings that make them accept this pool's access tokens."""
        return {
            "AUTH_ISSUER": self.issuer,
            "AUTH_JWKS_URL": self.jwks_url,
            "AUTH_CLIENT_IDS": self.client_id,
        }

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Identity:
        fields = ("pool_id", "client_id", "issuer", "jwks_url")
        missing = [name for name in fields if not isinstance(data.get(name), str)]
        if missing:
            raise ValueError(f"identity lacks {', '.join(missing)}")
        return cls(**{name: data[name] for name in fields})


def require_emulator(endpoint_url: str, *, emulator_hosts: Collection[str] = ()) -> None:
    """Refuse anything but loopback, or a host named explicitly (compose's ``moto``)."""
    host = urlsplit(endpoint_url).hostname or ""
    if host in emulator_hosts and not host.endswith("amazonaws.com"):
        return
    if host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise NotAnEmulator(endpoint_url)


def issuer_of(region: str, pool_id: str) -> str:
    # Moto puts Cognito's own form in `iss` (checked by the tests), not its URL.
    return f"https://cognito-idp.{region}.amazonaws.com/{pool_id}"


def jwks_url_of(endpoint_url: str, pool_id: str) -> str:
    return f"{endpoint_url.rstrip('/')}/{pool_id}/.well-known/jwks.json"


@asynccontextmanager
async def cognito_client(endpoint_url: str, region: str) -> AsyncIterator[Any]:
    # Fake credentials always: real ones from the environment never leave for an emulator.
    async with get_session().create_client(
        "cognito-idp",
        region_name=region,
        endpoint_url=endpoint_url,
        aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        config=CLIENT_CONFIG,
    ) as client:
        yield client


async def bootstrap_identity(
    endpoint_url: str,
    region: str,
    *,
    prefix: str,
    emulator_hosts: Collection[str] = (),
    stable_ids: bool = False,
) -> Identity:
    """Create, or find by name and reuse, the pool, client, groups and demo users.

    Safe to run any number of times: each step looks for what exists first,
    and the demo users' passwords and groups are set again (both idempotent).

    ``stable_ids``: moto keeps nothing across restarts and draws ids at random,
    so each new moto would give alice a new ``sub`` (her customer id), and the
    orders kept in Postgres from an earlier run would belong to nobody. With it,
    moto's random generator is seeded from the prefix just before the pool is
    created, so a fresh moto gives the same pool, client and user ids every run.
    Seeding is global to that moto: use it where nothing else talks to the
    emulator during the bootstrap (the local runtime, before the services start).
    """
    require_emulator(endpoint_url, emulator_hosts=emulator_hosts)
    pool_name = f"{prefix}-users"
    async with cognito_client(endpoint_url, region) as cognito:
        pool_id = await _find_pool(cognito, pool_name)
        if pool_id is None:
            if stable_ids:
                await _seed_emulator_randomness(endpoint_url, prefix)
            pool_id = await _create_pool(cognito, pool_name)
        client_id = await _ensure_client(cognito, pool_id, f"{prefix}-local")
        for group, description in GROUP_DESCRIPTIONS.items():
            await _ensure_group(cognito, pool_id, group, description)
        for username, group in DEMO_USERS.items():
            await _ensure_user(cognito, pool_id, username, group)
    return Identity(
        pool_id=pool_id,
        client_id=client_id,
        issuer=issuer_of(region, pool_id),
        jwks_url=jwks_url_of(endpoint_url, pool_id),
    )


async def find_identity(
    endpoint_url: str,
    region: str,
    *,
    prefix: str,
    emulator_hosts: Collection[str] = (),
) -> Identity:
    """The pool and client a bootstrap made on this emulator, changing nothing.

    For a stack whose state file is elsewhere (docker compose: the bootstrap
    ran in a container) a token client finds them by name.
    """
    require_emulator(endpoint_url, emulator_hosts=emulator_hosts)
    pool_name, client_name = f"{prefix}-users", f"{prefix}-local"
    async with cognito_client(endpoint_url, region) as cognito:
        pool_id = await _find_pool(cognito, pool_name)
        if pool_id is None:
            raise IdentityError(
                f"no user pool {pool_name!r} at {endpoint_url}: is the stack up "
                "(its bootstrap creates it)?"
            )
        client_id = await _find_client(cognito, pool_id, client_name)
        if client_id is None:
            raise IdentityError(f"the pool {pool_name!r} has no app client {client_name!r}")
    return Identity(
        pool_id=pool_id,
        client_id=client_id,
        issuer=issuer_of(region, pool_id),
        jwks_url=jwks_url_of(endpoint_url, pool_id),
    )


async def add_user(
    endpoint_url: str,
    region: str,
    identity: Identity,
    username: str,
    *,
    group: str = CUSTOMERS_GROUP,
    emulator_hosts: Collection[str] = (),
) -> None:
    """One more user with the demo password (idempotent), e.g. a customer of a test's own."""
    if group not in GROUP_DESCRIPTIONS:
        raise IdentityError(f"no group {group!r} (groups: {', '.join(GROUP_DESCRIPTIONS)})")
    require_emulator(endpoint_url, emulator_hosts=emulator_hosts)
    async with cognito_client(endpoint_url, region) as cognito:
        await _ensure_user(cognito, identity.pool_id, username, group)


async def access_token(
    endpoint_url: str,
    region: str,
    identity: Identity,
    username: str,
    *,
    password: str = DEMO_PASSWORD,
    emulator_hosts: Collection[str] = (),
) -> str:
    """A fresh access token for ``username`` (USER_PASSWORD_AUTH), as Cognito issues it."""
    require_emulator(endpoint_url, emulator_hosts=emulator_hosts)
    async with cognito_client(endpoint_url, region) as cognito:
        try:
            answer = await cognito.initiate_auth(
                ClientId=identity.client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": username, "PASSWORD": password},
            )
        except cognito.exceptions.UserNotFoundException:
            known = ", ".join(DEMO_USERS)
            raise SignInRefused(username, f"no such user (demo users: {known})") from None
        except cognito.exceptions.NotAuthorizedException as error:
            raise SignInRefused(username, _message(error)) from None
        except cognito.exceptions.ResourceNotFoundException as error:
            raise IdentityError(
                f"the local Cognito has no app client {identity.client_id!r} ({_message(error)}): "
                "it was restarted without its bootstrap; restart the local stack"
            ) from None
    result = answer.get("AuthenticationResult")
    if not result:
        # A challenge (new password, MFA): the bootstrap sets neither, so the pool is not ours.
        challenge = answer.get("ChallengeName", "unknown")
        raise SignInRefused(username, f"the pool asks for a {challenge} challenge")
    token: str = result["AccessToken"]
    return token


async def _seed_emulator_randomness(endpoint_url: str, prefix: str) -> None:
    seed = int.from_bytes(hashlib.sha256(prefix.encode()).digest()[:4], "big")
    url = f"{endpoint_url.rstrip('/')}/moto-api/seed"
    async with (
        aiohttp.ClientSession(timeout=SEED_TIMEOUT) as http,
        http.post(url, params={"a": str(seed)}) as response,
    ):
        if response.status != 200:
            raise IdentityError(
                f"the emulator at {endpoint_url} refused a seed ({response.status})"
            )


async def _find_pool(cognito: Any, name: str) -> str | None:
    found: list[str] = []
    kwargs: dict[str, Any] = {"MaxResults": PAGE_SIZE}
    while True:
        page = await cognito.list_user_pools(**kwargs)
        found += [pool["Id"] for pool in page.get("UserPools", []) if pool["Name"] == name]
        if not page.get("NextToken"):
            break
        kwargs["NextToken"] = page["NextToken"]
    if len(found) > 1:
        # Cognito allows duplicate names; picking one would hide the others' users.
        raise IdentityError(f"{len(found)} user pools are named {name!r}; delete all but one")
    return found[0] if found else None


async def _create_pool(cognito: Any, name: str) -> str:
    created = await cognito.create_user_pool(
        PoolName=name,
        Policies={"PasswordPolicy": PASSWORD_POLICY},
        MfaConfiguration="OFF",
        AdminCreateUserConfig={"AllowAdminCreateUserOnly": True},
        UsernameConfiguration={"CaseSensitive": False},
    )
    pool_id: str = created["UserPool"]["Id"]
    return pool_id


async def _find_client(cognito: Any, pool_id: str, name: str) -> str | None:
    kwargs: dict[str, Any] = {"UserPoolId": pool_id, "MaxResults": PAGE_SIZE}
    while True:
        page = await cognito.list_user_pool_clients(**kwargs)
        for client in page.get("UserPoolClients", []):
            if client["ClientName"] == name:
                existing: str = client["ClientId"]
                return existing
        if not page.get("NextToken"):
            return None
        kwargs["NextToken"] = page["NextToken"]


async def _ensure_client(cognito: Any, pool_id: str, name: str) -> str:
    existing = await _find_client(cognito, pool_id, name)
    if existing is not None:
        return existing
    created = await cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName=name,
        GenerateSecret=False,
        ExplicitAuthFlows=AUTH_FLOWS,
        PreventUserExistenceErrors="LEGACY",
    )
    client_id: str = created["UserPoolClient"]["ClientId"]
    return client_id


async def _ensure_group(cognito: Any, pool_id: str, group: str, description: str) -> None:
    with suppress(cognito.exceptions.GroupExistsException):
        await cognito.create_group(UserPoolId=pool_id, GroupName=group, Description=description)


async def _ensure_user(cognito: Any, pool_id: str, username: str, group: str) -> None:
    try:
        await cognito.admin_get_user(UserPoolId=pool_id, Username=username)
    except cognito.exceptions.UserNotFoundException:
        await cognito.admin_create_user(
            UserPoolId=pool_id,
            Username=username,
            MessageAction="SUPPRESS",  # no invitation: nobody to send it to
            UserAttributes=[
                {"Name": "email", "Value": f"{username}@example.com"},
                {"Name": "email_verified", "Value": "true"},
            ],
        )
    # Permanent: no "change your password" challenge at the first sign-in.
    await cognito.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=DEMO_PASSWORD, Permanent=True
    )
    await cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=group)


def _message(error: Exception) -> str:
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Message") or error)
    return str(error)
