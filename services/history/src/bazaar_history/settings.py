"""History configuration: the shared service and key settings, nothing more yet."""

from __future__ import annotations

from bazaar_common.idempotency.settings import IdempotentServiceSettings


class HistorySettings(IdempotentServiceSettings):
    pass
