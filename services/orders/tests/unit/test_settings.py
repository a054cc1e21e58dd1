"""Configuration: the orders variables, their bounds, and the test hook's fence."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bazaar_orders.crash_points import CrashPoint
from bazaar_orders.settings import OrdersSettings

LOCAL = {
    "environment": "test",
    "database_url": "postgresql+asyncpg://u@localhost/orders",
    "auth_issuer": "http://127.0.0.1:1",
    "auth_client_ids": "c",
    "inventory_url": "http://127.0.0.1:8001",
}
PROD = {
    **LOCAL,
    "environment": "prod",
    "database_url": "postgresql+asyncpg://u:a-real-secret@db.internal/orders",
    "auth_issuer": "https://cognito-idp.eu-west-1.amazonaws.com/pool",
    "inventory_url": "http://inventory.bazaar.local:8001",
}


def test_the_defaults(monkeypatch):
    for name in ("CRASH_POINT", "INVENTORY_RETRIES", "SAGA_STEP_TIMEOUT_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    settings = OrdersSettings.model_validate(LOCAL)
    assert settings.inventory_url == "http://127.0.0.1:8001"
    assert (
        settings.inventory_connect_timeout_seconds,
        settings.inventory_read_timeout_seconds,
        settings.inventory_retries,
        settings.inventory_retry_base_seconds,
    ) == (1.0, 2.0, 2, 0.05)
    assert (settings.saga_step_timeout_seconds, settings.saga_sweep_interval_seconds) == (30, 5)
    assert (settings.idempotency_key_retention_hours, settings.idempotency_lease_seconds) == (
        24,
        30,
    )
    assert settings.crash_point is None


def test_variables_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("INVENTORY_URL", "http://inventory.ns:8001/")
    monkeypatch.setenv("INVENTORY_RETRIES", "0")
    monkeypatch.setenv("SAGA_STEP_TIMEOUT_SECONDS", "6")
    monkeypatch.setenv("CRASH_POINT", "on-payment-captured")
    settings = OrdersSettings.model_validate(
        {k: v for k, v in LOCAL.items() if k != "inventory_url"}
    )
    assert settings.inventory_url == "http://inventory.ns:8001"
    assert settings.inventory_retries == 0
    assert settings.saga_step_timeout_seconds == 6
    assert settings.crash_point is CrashPoint.ON_PAYMENT_CAPTURED


def test_inventory_url_is_required(monkeypatch):
    monkeypatch.delenv("INVENTORY_URL", raising=False)
    with pytest.raises(ValidationError, match="inventory_url"):
        OrdersSettings.model_validate({k: v for k, v in LOCAL.items() if k != "inventory_url"})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("inventory_url", "inventory:8001"),
        ("inventory_url", "ftp://inventory"),
        ("inventory_retries", 6),
        ("inventory_retries", -1),
        ("inventory_connect_timeout_seconds", 0),
        ("saga_step_timeout_seconds", 0),
        ("saga_step_timeout_seconds", 3_601),
        ("saga_sweep_interval_seconds", 0),
        ("saga_sweep_interval_seconds", 301),
        ("idempotency_key_retention_hours", 0),
        ("idempotency_key_retention_hours", 721),
        ("crash_point", "somewhere"),
    ],
)
def test_out_of_bounds_values_are_refused(name, value):
    with pytest.raises(ValidationError):
        OrdersSettings.model_validate({**LOCAL, name: value})


@pytest.mark.parametrize("point", [point.value for point in CrashPoint])
def test_crash_points_are_allowed_in_local_and_test_only(point):
    assert OrdersSettings.model_validate({**LOCAL, "crash_point": point}).crash_point == point
    local = OrdersSettings.model_validate({**LOCAL, "environment": "local", "crash_point": point})
    assert local.crash_point == point
    assert OrdersSettings.model_validate(PROD).crash_point is None
    for environment in ("dev", "staging", "prod"):
        with pytest.raises(ValidationError, match="CRASH_POINT"):
            OrdersSettings.model_validate(
                {**PROD, "environment": environment, "crash_point": point}
            )


def test_the_lease_must_outlive_the_longest_price_lookup():
    # 3 attempts of (1 + 2) s plus backoff: over 9 s.
    with pytest.raises(ValidationError, match="IDEMPOTENCY_LEASE_SECONDS"):
        OrdersSettings.model_validate({**LOCAL, "idempotency_lease_seconds": 9})
    lease = OrdersSettings.model_validate({**LOCAL, "idempotency_lease_seconds": 10})
    assert lease.idempotency_lease_seconds > lease.longest_price_lookup_seconds
