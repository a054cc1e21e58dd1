"""Payments configuration: the shared service settings and the simulated card processor's rules."""

from __future__ import annotations

from pydantic import Field, TypeAdapter, ValidationError, field_validator

from bazaar_common.settings import ServiceSettings
from bazaar_contracts.fields import MAX_AMOUNT_MINOR, CardToken

_CARD_TOKEN: TypeAdapter[str] = TypeAdapter(CardToken)


class PaymentsSettings(ServiceSettings):
    processor_decline_above_minor: int = Field(
        default=100_000,
        ge=0,
        le=MAX_AMOUNT_MINOR,
        description="Charges above this amount are declined with amount-over-limit",
    )
    # Kept as the variable's text (a list field would be read as JSON).
    processor_declined_tokens: str = Field(
        default="tok_decline",
        max_length=10_000,
        description="Card tokens (comma separated) that are declined with card-declined",
    )
    processor_latency_ms: int = Field(
        default=0, ge=0, le=10_000, description="How long each processor call takes"
    )
    processor_transient_failure_rate: float = Field(
        default=0.0,
        ge=0.0,
        le=1.0,
        description="Share of processor calls that fail transiently (the command is retried)",
    )

    @field_validator("processor_declined_tokens")
    @classmethod
    def _tokens_look_like_tokens(cls, value: str) -> str:
        bad = [token for token in _split(value) if not _is_card_token(token)]
        if bad:
            raise ValueError(f"not card tokens (tok_...): {', '.join(bad)}")
        return value

    @property
    def declined_tokens(self) -> frozenset[str]:
        return frozenset(_split(self.processor_declined_tokens))


def _split(csv: str) -> list[str]:
    return [item.strip() for item in csv.split(",") if item.strip()]


def _is_card_token(text: str) -> bool:
    try:
        _CARD_TOKEN.validate_python(text)
    except ValidationError:
        return False
    return True
