"""The secrets of a task definition, resolved as the ECS agent would: from Secrets Manager."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

# arn:aws:secretsmanager:<region>:<account>:secret:<name>[:<json key>:<stage>:<version id>]
SECRET_ARN_FIELDS = 7


class SecretError(RuntimeError):
    """A secret a container needs cannot be had: the task would not start on Fargate either."""


async def resolve(client: Any, value_from: str) -> str:
    parts = value_from.split(":")
    arn = ":".join(parts[:SECRET_ARN_FIELDS])
    json_key, stage, version_id = [*parts[SECRET_ARN_FIELDS:], "", "", ""][:3]
    request: dict[str, str] = {"SecretId": arn}
    if stage:
        request["VersionStage"] = stage
    if version_id:
        request["VersionId"] = version_id
    name = parts[6] if len(parts) > 6 else value_from
    try:
        answer = await client.get_secret_value(**request)
    except ClientError as error:
        message = error.response.get("Error", {}).get("Message", "")
        raise SecretError(f"secret {name}: {message}") from None
    value = answer.get("SecretString")
    if not value:
        raise SecretError(f"secret {name} has no string value")
    if not json_key:
        return str(value)
    try:
        return str(json.loads(value)[json_key])
    except (ValueError, KeyError, TypeError):
        raise SecretError(f"secret {name} has no JSON key {json_key}") from None
