"""Secrets Manager as the bootstrap uses it: the master's login, and two URLs to keep.

A port, so the bootstrap's logic can be tested against a fake, and one
adapter on aiobotocore (AWS, or moto locally).
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from botocore.exceptions import ClientError


class BootstrapError(RuntimeError):
    """A reason the bootstrap cannot go on, said in one line."""


class SecretStore(Protocol):
    async def master_login(self, arn: str) -> tuple[str, str]:
        """(username, password) of the database's master user."""
        ...

    async def current(self, arn: str) -> str | None:
        """The secret's AWSCURRENT value; None while it has none."""
        ...

    async def put(self, arn: str, value: str) -> None:
        """A new AWSCURRENT value."""
        ...


def secret_name(arn: str) -> str:
    """The secret's name for a log line (the ARN's last field, without its random suffix)."""
    return arn.split(":", 6)[-1]


class SecretsManagerStore:
    """The port on an aiobotocore ``secretsmanager`` client."""

    def __init__(self, client: Any) -> None:
        self._client = client

    async def master_login(self, arn: str) -> tuple[str, str]:
        value = await self.current(arn)
        if value is None:
            raise BootstrapError(f"the master secret {secret_name(arn)} has no value")
        try:
            document = json.loads(value)
            return str(document["username"]), str(document["password"])
        except (ValueError, KeyError, TypeError):
            # RDS-managed master secrets are {"username": ..., "password": ...}.
            raise BootstrapError(
                f"the master secret {secret_name(arn)} is not JSON with username and password"
            ) from None

    async def current(self, arn: str) -> str | None:
        try:
            answer = await self._client.get_secret_value(SecretId=arn)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code")
            message = str(error.response.get("Error", {}).get("Message", ""))
            # A secret made without a value answers so; a missing secret too,
            # but with another message, and that one is a wiring error.
            if code == "ResourceNotFoundException" and "AWSCURRENT" in message:
                return None
            raise BootstrapError(f"cannot read {secret_name(arn)}: {code}: {message}") from None
        value = answer.get("SecretString")
        return str(value) if value else None

    async def put(self, arn: str, value: str) -> None:
        try:
            await self._client.put_secret_value(SecretId=arn, SecretString=value)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code")
            raise BootstrapError(f"cannot write {secret_name(arn)}: {code}") from None
