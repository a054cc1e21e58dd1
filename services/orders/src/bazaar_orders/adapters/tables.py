"""The orders database schema, as SQLAlchemy Core tables.

Check constraints restate the state machine's invariants, so a bug in the
code can never store a terminal order still in a step, or a cancel without
its reason.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    UniqueConstraint,
    Uuid,
    text,
)

from bazaar_common.db.naming import service_metadata
from bazaar_common.idempotency.table import CreatedResource, add_idempotency_keys
from bazaar_common.messaging.tables import add_messaging_tables

metadata = service_metadata()

_STATUSES = "('PENDING', 'CONFIRMED', 'CANCELLED')"
_STEPS = "('reserving-stock', 'capturing-payment')"
_REASONS = "('out-of-stock', 'payment-declined', 'customer-cancelled', 'step-timeout')"

orders = Table(
    "orders",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("customer_id", String(128), nullable=False),
    Column("status", String(16), nullable=False),
    Column("step", String(32)),
    Column("step_started_at", DateTime(timezone=True)),
    Column("cancel_reason", String(64)),
    Column("total_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("card_token", String(64), nullable=False),
    Column("stock_requested", Boolean, nullable=False),
    Column("capture_requested", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    CheckConstraint(f"status IN {_STATUSES}", name="status_known"),
    CheckConstraint(f"step IS NULL OR step IN {_STEPS}", name="step_known"),
    CheckConstraint(
        "(status = 'PENDING') = (step IS NOT NULL AND step_started_at IS NOT NULL)",
        name="step_iff_pending",
    ),
    CheckConstraint(
        f"(status = 'CANCELLED') = (cancel_reason IS NOT NULL AND cancel_reason IN {_REASONS})",
        name="cancel_reason_iff_cancelled",
    ),
    CheckConstraint("total_minor >= 0", name="total_not_negative"),
    CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_iso_4217"),
    CheckConstraint("NOT capture_requested OR stock_requested", name="capture_after_stock"),
    CheckConstraint("version >= 1", name="version_positive"),
    # The sweeper's query: pending orders by the start of their step.
    Index(
        "ix_orders_pending_step_started",
        "status",
        "step_started_at",
        postgresql_where=text("status = 'PENDING'"),
    ),
    # Keyset pages, newest first: a customer's own, and everyone's for admins.
    Index(
        "ix_orders_customer_created",
        "customer_id",
        text("created_at DESC"),
        text("id DESC"),
    ),
    Index("ix_orders_created", text("created_at DESC"), text("id DESC")),
)

order_lines = Table(
    "order_lines",
    metadata,
    Column("order_id", Uuid, ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True),
    Column("position", SmallInteger, primary_key=True),
    Column("sku", String(64), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price_minor", BigInteger, nullable=False),
    CheckConstraint("position >= 0", name="position_not_negative"),
    CheckConstraint("quantity BETWEEN 1 AND 1000", name="quantity_in_range"),
    CheckConstraint("unit_price_minor >= 0", name="unit_price_not_negative"),
    UniqueConstraint("order_id", "sku", name="uq_order_lines_order_id_sku"),
)

order_transitions = Table(
    "order_transitions",
    metadata,
    Column("order_id", Uuid, ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("from_status", String(16)),
    Column("from_step", String(32)),
    Column("to_status", String(16), nullable=False),
    Column("to_step", String(32)),
    Column("reason", String(64), nullable=False),
    Column("cause_event_id", Uuid),
    Column("at", DateTime(timezone=True), nullable=False),
    CheckConstraint("seq >= 1", name="seq_positive"),
    CheckConstraint(f"from_status IS NULL OR from_status IN {_STATUSES}", name="from_status_known"),
    CheckConstraint(f"to_status IN {_STATUSES}", name="to_status_known"),
    # Terminal states take no transition, so nothing ever leaves them.
    CheckConstraint("from_status IS NULL OR from_status = 'PENDING'", name="from_pending_only"),
)

idempotency_keys = add_idempotency_keys(
    metadata,
    caller_column="customer_id",
    created=CreatedResource("order_id", references="orders.id"),
)

messaging = add_messaging_tables(metadata)
