"""Configuration: the archive writer's variables, and the bucket required where it matters."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bazaar_audit.settings import AuditSettings

LOCAL = {
    "environment": "test",
    "database_url": "postgresql+asyncpg://u@localhost/audit",
    "auth_issuer": "http://127.0.0.1:1",
    "auth_client_ids": "c",
}
PROD = {
    **LOCAL,
    "environment": "prod",
    "database_url": "postgresql+asyncpg://u:a-real-secret@db.internal/audit",
    "auth_issuer": "https://cognito-idp.eu-west-1.amazonaws.com/pool",
}


def test_locally_the_archive_is_optional_and_flushes_every_two_seconds(monkeypatch):
    for name in ("EVENT_ARCHIVE_BUCKET", "ARCHIVE_FLUSH_INTERVAL_SECONDS"):
        monkeypatch.delenv(name, raising=False)

    settings = AuditSettings.model_validate(LOCAL)

    assert settings.event_archive_bucket is None
    assert (settings.archive_flush_interval_seconds, settings.archive_batch_max_events) == (
        2.0,
        1_000,
    )


@pytest.mark.parametrize("environment", ["dev", "staging", "prod"])
def test_outside_local_the_archive_bucket_is_required(environment, monkeypatch):
    monkeypatch.delenv("EVENT_ARCHIVE_BUCKET", raising=False)

    with pytest.raises(ValidationError, match="EVENT_ARCHIVE_BUCKET is required"):
        AuditSettings.model_validate({**PROD, "environment": environment})

    assert (
        AuditSettings.model_validate(
            {
                **PROD,
                "environment": environment,
                "event_archive_bucket": "bazaar-prod-event-archive",
            }
        ).event_archive_bucket
        == "bazaar-prod-event-archive"
    )


@pytest.mark.parametrize(
    "bad",
    [
        {"event_archive_bucket": "Not_A_Bucket"},
        {"archive_flush_interval_seconds": 0},
        {"archive_batch_max_events": 0},
        {"archive_batch_max_events": 50_001},
    ],
)
def test_bad_values_are_refused(bad):
    with pytest.raises(ValidationError):
        AuditSettings.model_validate({**LOCAL, **bad})
