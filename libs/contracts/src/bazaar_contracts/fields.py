"""Field types shared by the event schemas, with the bounds every service agrees on."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# The tightest bounds of any service that handles lines (inventory's), so a
# command that passes its schema is never refused by its handler's domain.
MAX_EVENT_LINE_QUANTITY = 10_000
MAX_EVENT_LINES = 100
MAX_AMOUNT_MINOR = 10**15

Sku = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9-]{0,63}$")]
Quantity = Annotated[int, Field(ge=1, le=MAX_EVENT_LINE_QUANTITY)]
AmountMinor = Annotated[int, Field(ge=0, le=MAX_AMOUNT_MINOR)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
CustomerId = Annotated[str, StringConstraints(min_length=1, max_length=128)]
Reason = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z-]{1,63}$")]
"""A machine-readable cause, e.g. ``insufficient-stock``."""
CardToken = Annotated[str, StringConstraints(pattern=r"^tok_[a-z0-9_]{1,60}$")]
"""A processor token standing for a card; never a card number."""


class Part(BaseModel):
    """A nested value inside an event: exact, immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class StockLine(Part):
    sku: Sku
    quantity: Quantity
