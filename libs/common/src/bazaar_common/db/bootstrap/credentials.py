"""Each role's password and the URL that carries it, kept working and kept in one place.

A role's secret is left alone when it holds the URL this run would write and
that URL signs in. Otherwise (no value yet, another host or database, a
password that no longer works, or a rotation asked for) a new password is set
on the role and then written to the secret. Set first, written second: a
task that dies between the two leaves a secret that no longer signs in, and
the next run repairs it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

import asyncpg

from bazaar_common.db.bootstrap.schema_access import Changes, quoted
from bazaar_common.db.bootstrap.scram import scram_sha256_verifier
from bazaar_common.db.bootstrap.secret_store import BootstrapError, SecretStore, secret_name
from bazaar_common.db.bootstrap.settings import BootstrapSettings, SslMode

LOGIN_TIMEOUT_SECONDS = 10
# Refusals that mean "these credentials do not work", as opposed to "the
# server is not there" (which must fail the run, not rotate a password).
REFUSED = (asyncpg.InvalidPasswordError, asyncpg.InvalidAuthorizationSpecificationError)


@dataclass(frozen=True)
class Login:
    """One role's place in a DATABASE_URL."""

    role: str
    secret_arn: str


def database_url(settings: BootstrapSettings, role: str, password: str) -> str:
    """What the services read: ``postgresql+asyncpg://role:password@host:port/db[?ssl=require]``.

    The password is URL-safe base64, so nothing in it needs escaping.
    """
    query = "?ssl=require" if settings.database_ssl is SslMode.REQUIRE else ""
    return (
        f"postgresql+asyncpg://{role}:{password}@{settings.database_host}:"
        f"{settings.database_port}/{settings.database_name}{query}"
    )


def _same_place(url: str, settings: BootstrapSettings, role: str) -> bool:
    """Does the stored URL name this role, host, port, database and TLS mode?"""
    password = urlsplit(url).password or ""
    return url == database_url(settings, role, password) and bool(password)


async def signs_in(url: str, settings: BootstrapSettings) -> bool:
    parts = urlsplit(url)
    try:
        connection = await asyncpg.connect(
            host=settings.database_host,
            port=settings.database_port,
            user=parts.username,
            password=parts.password,
            database=settings.database_name,
            ssl=settings.database_ssl.value,
            timeout=LOGIN_TIMEOUT_SECONDS,
        )
    except REFUSED:
        return False
    await connection.close()
    return True


async def ensure_login(
    admin: asyncpg.Connection,
    store: SecretStore,
    settings: BootstrapSettings,
    login: Login,
    changes: Changes,
) -> None:
    stored = await store.current(login.secret_arn)
    name = secret_name(login.secret_arn)
    if (
        stored is not None
        and not settings.rotate_passwords
        and _same_place(stored, settings, login.role)
        and await signs_in(stored, settings)
    ):
        return
    reason = (
        "rotation asked for"
        if settings.rotate_passwords
        else "no value yet"
        if stored is None
        else "stale"
    )
    password = secrets.token_urlsafe(32)
    await admin.execute(
        f"ALTER ROLE {quoted(login.role)} PASSWORD '{scram_sha256_verifier(password)}'"
    )
    url = database_url(settings, login.role, password)
    await store.put(login.secret_arn, url)
    if not await signs_in(url, settings):
        raise BootstrapError(f"{login.role} cannot sign in with the password just set")
    changes.record(f"secret {name}: new password for {login.role} ({reason})")
