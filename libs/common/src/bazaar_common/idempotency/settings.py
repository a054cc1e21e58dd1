"""The settings of a service whose state-changing POSTs take idempotency keys."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field

from bazaar_common.idempotency.claim import KeyPolicy
from bazaar_common.settings import ServiceSettings


class IdempotentServiceSettings(ServiceSettings):
    idempotency_key_retention_hours: float = Field(default=24.0, gt=0, le=720)
    idempotency_lease_seconds: float = Field(default=30.0, gt=0, le=600)

    @property
    def idempotency_policy(self) -> KeyPolicy:
        return KeyPolicy(
            lease=timedelta(seconds=self.idempotency_lease_seconds),
            retention=timedelta(hours=self.idempotency_key_retention_hours),
        )
