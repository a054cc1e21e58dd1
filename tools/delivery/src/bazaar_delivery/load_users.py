"""The load test's users in an environment's Cognito pool: made, signed in, deleted.

``python -m bazaar_delivery load-users`` makes N customers and one admin,
named under a prefix of the run's own (``load-...``), each with a random
password that never leaves this process, signs each in with
``ADMIN_USER_PASSWORD_AUTH`` (signed with the caller's IAM credentials: the
app client allows it where the identity module's ``allow_admin_password_auth``
is on, staging) and writes their access tokens, the locustfile's
``LOAD_TOKENS_FILE``, readable by its owner only. ``load-users --delete``
deletes every user under the prefix; deploy.yml runs it whatever happened.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import string
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any

from aiobotocore.config import AioConfig
from aiobotocore.session import get_session

CUSTOMERS_GROUP = "customers"
ADMINS_GROUP = "admins"
# Only names made here can be deleted by prefix: never a real user's.
PREFIX = re.compile(r"^load-[a-z0-9]+(?:-[a-z0-9]+)*$")
PREFIX_MAX = 40
MAX_USERS = 200
PASSWORD_LENGTH = 32
PAGE_SIZE = 60  # the most ListUsers returns at once
# Cognito's admin calls are throttled per account: back off and retry.
CLIENT_CONFIG = AioConfig(
    connect_timeout=5, read_timeout=20, retries={"max_attempts": 6, "mode": "adaptive"}
)


class LoadUsersError(RuntimeError):
    """Cognito refused or failed; the message says at which step."""


def new_prefix() -> str:
    return f"load-{secrets.token_hex(5)}"


def checked_prefix(prefix: str) -> str:
    if len(prefix) > PREFIX_MAX or not PREFIX.fullmatch(prefix):
        raise ValueError(
            f"not a load-test prefix: {prefix!r} (load-, then lower-case letters, digits "
            f"and single dashes, at most {PREFIX_MAX} characters)"
        )
    return prefix


def usernames(prefix: str, count: int) -> tuple[list[str], str]:
    """The customers' names and the admin's."""
    return [f"{prefix}-customer-{number}" for number in range(count)], f"{prefix}-admin"


# Symbols Cognito accepts in a password. The pool does not require one, but a
# pool that does (moto's, which drops RequireSymbols = false) takes these too.
SYMBOLS = "-_.!@#%+="


def new_password() -> str:
    """Random, and within any Cognito policy: 12+, upper, lower, digits, a symbol."""
    alphabet = string.ascii_letters + string.digits + SYMBOLS
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(PASSWORD_LENGTH))
        if (
            any(c.islower() for c in password)
            and any(c.isupper() for c in password)
            and any(c.isdigit() for c in password)
            and any(c in SYMBOLS for c in password)
        ):
            return password


@asynccontextmanager
async def cognito(region: str, endpoint_url: str | None) -> AsyncIterator[Any]:
    # Credentials from the default chain: the deploy role in deploy.yml.
    options: dict[str, Any] = {"region_name": region, "config": CLIENT_CONFIG}
    if endpoint_url:
        options["endpoint_url"] = endpoint_url
    async with get_session().create_client("cognito-idp", **options) as client:
        yield client


async def create(
    *,
    pool_id: str,
    client_id: str,
    region: str,
    count: int,
    prefix: str,
    endpoint_url: str | None = None,
) -> dict[str, Any]:
    """Makes the users and signs them in; the tokens document.

    If any step fails, the users made so far are deleted before the error
    is raised, so a failed run leaves nothing behind.
    """
    checked_prefix(prefix)
    if not 1 <= count <= MAX_USERS:
        raise ValueError(f"count must be 1 to {MAX_USERS}, not {count}")
    customers, admin = usernames(prefix, count)
    async with cognito(region, endpoint_url) as client:
        try:
            tokens = [
                await _user(client, pool_id, client_id, name, CUSTOMERS_GROUP) for name in customers
            ]
            admin_token = await _user(client, pool_id, client_id, admin, ADMINS_GROUP)
        except Exception:
            # The first error is the one to report; deploy.yml deletes again anyway.
            with suppress(Exception):
                await _delete_under(client, pool_id, prefix)
            raise
    return {"prefix": prefix, "customers": tokens, "admin": admin_token}


async def _user(client: Any, pool_id: str, client_id: str, username: str, group: str) -> str:
    password = new_password()
    step = "AdminCreateUser"
    try:
        await client.admin_create_user(
            UserPoolId=pool_id,
            Username=username,
            MessageAction="SUPPRESS",  # nobody to invite
            UserAttributes=[
                {"Name": "email", "Value": f"{username}@example.com"},
                {"Name": "email_verified", "Value": "true"},
            ],
        )
        step = "AdminSetUserPassword"
        # Permanent: no new-password challenge at the sign-in below.
        await client.admin_set_user_password(
            UserPoolId=pool_id, Username=username, Password=password, Permanent=True
        )
        step = "AdminAddUserToGroup"
        await client.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=group)
        step = "AdminInitiateAuth"
        answer = await client.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )
    except client.exceptions.ClientError as error:
        raise LoadUsersError(f"{step} of {username}: {_message(error)}") from None
    result = answer.get("AuthenticationResult")
    if not result:
        challenge = answer.get("ChallengeName", "unknown")
        raise LoadUsersError(f"AdminInitiateAuth of {username}: a {challenge} challenge")
    token: str = result["AccessToken"]
    return token


async def delete(
    *, pool_id: str, region: str, prefix: str, endpoint_url: str | None = None
) -> list[str]:
    """Deletes every user named under the prefix; their names."""
    checked_prefix(prefix)
    async with cognito(region, endpoint_url) as client:
        try:
            return await _delete_under(client, pool_id, prefix)
        except client.exceptions.ClientError as error:
            raise LoadUsersError(f"deleting the users of {prefix}: {_message(error)}") from None


async def _delete_under(client: Any, pool_id: str, prefix: str) -> list[str]:
    stem = f"{prefix}-"
    names: list[str] = []
    kwargs: dict[str, Any] = {
        "UserPoolId": pool_id,
        "Limit": PAGE_SIZE,
        "Filter": f'username ^= "{stem}"',
    }
    while True:
        page = await client.list_users(**kwargs)
        names += [user["Username"] for user in page.get("Users", [])]
        if not page.get("PaginationToken"):
            break
        kwargs["PaginationToken"] = page["PaginationToken"]
    # The filter is Cognito's; the names deleted are checked here as well.
    names = sorted(name for name in names if name.startswith(stem))
    for name in names:
        with suppress(client.exceptions.UserNotFoundException):
            await client.admin_delete_user(UserPoolId=pool_id, Username=name)
    return names


def write_tokens(path: Path, document: dict[str, Any]) -> None:
    """The tokens file, created readable by its owner only (0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # an existing file keeps its mode otherwise
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(document, file)
        file.write("\n")


def _message(error: Exception) -> str:
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        detail = response.get("Error", {})
        return f"{detail.get('Code', 'error')}: {detail.get('Message') or error}"
    return str(error)
