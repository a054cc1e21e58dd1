"""The shapes of the inventory API: what it accepts and what it returns."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints, model_validator

from bazaar_common.validation import NoControlCharacters, RequestModel, SingleLine
from bazaar_inventory.domain.model import (
    MAX_LINE_QUANTITY,
    MAX_PRICE_MINOR,
    MAX_RESERVATION_LINES,
    MAX_RESTOCK_QUANTITY,
    Money,
    Product,
    Reservation,
    ReservationLine,
    Stock,
)

SKU_PATTERN = r"^[A-Z0-9][A-Z0-9-]{0,63}$"
Sku = Annotated[str, StringConstraints(pattern=SKU_PATTERN)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200), SingleLine]
Description = Annotated[str, StringConstraints(max_length=2_000), NoControlCharacters]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
PriceMinor = Annotated[int, Field(ge=0, le=MAX_PRICE_MINOR)]
SearchText = Annotated[str, StringConstraints(min_length=1, max_length=100), SingleLine]


class PriceIn(RequestModel):
    amount_minor: PriceMinor = Field(description="Price in the currency's minor unit (cents)")
    currency: Currency = Field(description="ISO 4217 code")

    def to_domain(self) -> Money:
        return Money(self.amount_minor, self.currency)


class ProductCreate(RequestModel):
    sku: Sku
    name: Name
    description: Description = ""
    price: PriceIn


class ProductUpdate(RequestModel):
    name: Name | None = None
    description: Description | None = None
    price: PriceIn | None = None

    @model_validator(mode="after")
    def _something_to_change(self) -> ProductUpdate:
        if self.name is None and self.description is None and self.price is None:
            raise ValueError("give at least one of name, description, price")
        return self


class Restock(RequestModel):
    quantity: int = Field(ge=1, le=MAX_RESTOCK_QUANTITY)


class LineIn(RequestModel):
    sku: Sku
    quantity: int = Field(ge=1, le=MAX_LINE_QUANTITY)

    def to_domain(self) -> ReservationLine:
        return ReservationLine(self.sku, self.quantity)


class ReservationCreate(RequestModel):
    # Lax for this field only: FastAPI validates the parsed JSON in Python mode,
    # where a strict UUID must already be a UUID object, never a string.
    order_id: UUID = Field(strict=False)
    lines: list[LineIn] = Field(min_length=1, max_length=MAX_RESERVATION_LINES)

    @model_validator(mode="after")
    def _one_line_per_sku(self) -> ReservationCreate:
        skus = [line.sku for line in self.lines]
        if len(set(skus)) != len(skus):
            raise ValueError("each sku may appear in one line only")
        return self


class PriceOut(BaseModel):
    amount_minor: int
    currency: str


class ProductOut(BaseModel):
    sku: str
    name: str
    description: str
    price: PriceOut
    available: int
    updated_at: datetime

    @classmethod
    def of(cls, product: Product, available: int) -> ProductOut:
        return cls(
            sku=product.sku,
            name=product.name,
            description=product.description,
            price=PriceOut(
                amount_minor=product.price.amount_minor, currency=product.price.currency
            ),
            available=available,
            updated_at=product.updated_at,
        )


class ProductPage(BaseModel):
    items: list[ProductOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page")


class StockOut(BaseModel):
    sku: str
    available: int
    reserved: int
    sold: int
    received: int

    @classmethod
    def of(cls, stock: Stock) -> StockOut:
        return cls(
            sku=stock.sku,
            available=stock.available,
            reserved=stock.reserved,
            sold=stock.sold,
            received=stock.received,
        )


class LineOut(BaseModel):
    sku: str
    quantity: int


class ReservationOut(BaseModel):
    order_id: UUID
    status: str
    lines: list[LineOut]
    updated_at: datetime

    @classmethod
    def of(cls, reservation: Reservation) -> ReservationOut:
        return cls(
            order_id=reservation.order_id,
            status=reservation.status.value,
            lines=[LineOut(sku=line.sku, quantity=line.quantity) for line in reservation.lines],
            updated_at=reservation.updated_at,
        )
