"""Secrets resolved as the ECS agent resolves them, against moto's Secrets Manager."""

from __future__ import annotations

import json
from uuid import uuid4

import pytest
from aiobotocore.session import get_session

from bazaar_common.testing.moto import REGION
from bazaar_ecslocal.secret_values import SecretError, resolve


@pytest.fixture
async def secretsmanager(moto_server):
    async with get_session().create_client(
        "secretsmanager", region_name=REGION, endpoint_url=moto_server.url
    ) as client:
        yield client


async def test_a_whole_secret_and_one_json_key(secretsmanager):
    plain = await secretsmanager.create_secret(Name=f"plain-{uuid4().hex}", SecretString="value")
    document = await secretsmanager.create_secret(
        Name=f"doc-{uuid4().hex}", SecretString=json.dumps({"password": "p", "username": "u"})
    )
    assert await resolve(secretsmanager, plain["ARN"]) == "value"
    assert await resolve(secretsmanager, f"{document['ARN']}:password::") == "p"


async def test_a_secret_without_a_value_stops_the_task(secretsmanager):
    empty = await secretsmanager.create_secret(Name=f"empty-{uuid4().hex}")
    with pytest.raises(SecretError, match="can't find the specified secret value"):
        await resolve(secretsmanager, empty["ARN"])


async def test_a_missing_json_key_is_named(secretsmanager):
    document = await secretsmanager.create_secret(Name=f"doc-{uuid4().hex}", SecretString="{}")
    with pytest.raises(SecretError, match="no JSON key password"):
        await resolve(secretsmanager, f"{document['ARN']}:password::")
