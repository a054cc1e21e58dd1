"""The inventory database schema, as SQLAlchemy Core tables.

Constraints restate the domain's invariants, so even a bug in the code can
never store negative stock or lose a unit.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    Uuid,
)

from bazaar_common.db.naming import service_metadata
from bazaar_common.idempotency.table import add_idempotency_keys
from bazaar_common.messaging.tables import add_messaging_tables

metadata = service_metadata()

products = Table(
    "products",
    metadata,
    Column("sku", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("price_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("price_minor >= 0", name="price_not_negative"),
    CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_iso_4217"),
)

stock = Table(
    "stock",
    metadata,
    Column("sku", String(64), ForeignKey("products.sku"), primary_key=True),
    Column("available", BigInteger, nullable=False),
    Column("reserved", BigInteger, nullable=False),
    Column("sold", BigInteger, nullable=False),
    Column("received", BigInteger, nullable=False),
    CheckConstraint("available >= 0", name="available_not_negative"),
    CheckConstraint("reserved >= 0", name="reserved_not_negative"),
    CheckConstraint("sold >= 0", name="sold_not_negative"),
    CheckConstraint("available + reserved + sold = received", name="units_conserved"),
)

reservations = Table(
    "reservations",
    metadata,
    Column("order_id", Uuid, primary_key=True),
    Column("status", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("status IN ('reserved', 'released', 'committed')", name="status_known"),
)

reservation_lines = Table(
    "reservation_lines",
    metadata,
    Column(
        "order_id",
        Uuid,
        ForeignKey("reservations.order_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("sku", String(64), ForeignKey("products.sku"), primary_key=True),
    Column("quantity", Integer, nullable=False),
    CheckConstraint("quantity > 0", name="quantity_positive"),
)

idempotency_keys = add_idempotency_keys(metadata)

messaging = add_messaging_tables(metadata)
