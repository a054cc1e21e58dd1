"""Orders configuration: the shared service and key settings plus the saga's and prices' limits."""

from __future__ import annotations

from typing import Self

from pydantic import Field, field_validator, model_validator

from bazaar_common.idempotency.settings import IdempotentServiceSettings
from bazaar_common.settings import Environment
from bazaar_orders.crash_points import CrashPoint


class OrdersSettings(IdempotentServiceSettings):
    inventory_url: str = Field(
        pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$",
        description="Base URL of inventory: loopback locally, Cloud Map DNS in AWS",
    )
    inventory_connect_timeout_seconds: float = Field(default=1.0, gt=0, le=30)
    inventory_read_timeout_seconds: float = Field(default=2.0, gt=0, le=60)
    inventory_retries: int = Field(default=2, ge=0, le=5)
    inventory_retry_base_seconds: float = Field(default=0.05, ge=0, le=5)

    saga_step_timeout_seconds: float = Field(default=30.0, gt=0, le=3_600)
    saga_sweep_interval_seconds: float = Field(default=5.0, gt=0, le=300)

    crash_point: CrashPoint | None = Field(
        default=None, description="Test hook: the process kills itself there (local/test only)"
    )

    @field_validator("inventory_url")
    @classmethod
    def _without_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @model_validator(mode="after")
    def _crash_points_only_in_tests(self) -> Self:
        if self.crash_point is not None and self.environment not in (
            Environment.LOCAL,
            Environment.TEST,
        ):
            raise ValueError("CRASH_POINT is a test hook; it is refused outside local and test")
        return self

    @model_validator(mode="after")
    def _lease_outlives_a_price_lookup(self) -> Self:
        # A lease that ran out while its request still fetched prices could be
        # taken over, and the first request would then lose its order at the end.
        if self.idempotency_lease_seconds <= self.longest_price_lookup_seconds:
            raise ValueError(
                "IDEMPOTENCY_LEASE_SECONDS must exceed the longest price lookup "
                f"({self.longest_price_lookup_seconds:.1f} s with these timeouts and retries)"
            )
        return self

    @property
    def longest_price_lookup_seconds(self) -> float:
        attempts = self.inventory_retries + 1
        per_attempt = self.inventory_connect_timeout_seconds + self.inventory_read_timeout_seconds
        backoff_ceiling = sum(
            self.inventory_retry_base_seconds * 2.0**n for n in range(self.inventory_retries)
        )
        return attempts * per_attempt + backoff_ceiling
