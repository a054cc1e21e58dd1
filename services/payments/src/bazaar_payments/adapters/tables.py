"""The payments database schema, as SQLAlchemy Core tables.

The check constraints restate the model's invariants, so no code path can
store a refund without a capture, a decline without its reason, or a
negative amount. A CHECK passes when it evaluates to NULL, so nullable
columns are compared through ``coalesce``. The primary key is the order:
one payment per order, and of two commands racing to create it, the
second insert fails.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Index,
    String,
    Table,
    Uuid,
)

from bazaar_common.db.naming import service_metadata
from bazaar_common.messaging.tables import add_messaging_tables

metadata = service_metadata()

payments = Table(
    "payments",
    metadata,
    Column("order_id", Uuid, primary_key=True),
    Column("id", Uuid, nullable=False, unique=True),
    Column("customer_id", String(128)),
    Column("amount_minor", BigInteger),
    Column("currency", String(3)),
    Column("status", String(16), nullable=False),
    Column("decline_reason", String(64)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("captured_at", DateTime(timezone=True)),
    Column("refunded_at", DateTime(timezone=True)),
    CheckConstraint(
        "status IN ('captured', 'declined', 'refunded', 'voided')", name="status_known"
    ),
    CheckConstraint("amount_minor >= 0", name="amount_not_negative"),
    CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_iso_4217"),
    CheckConstraint("(amount_minor IS NULL) = (currency IS NULL)", name="amount_has_currency"),
    # Every payment but a void came from a capture command, which names all three.
    CheckConstraint(
        "status = 'voided' OR (customer_id IS NOT NULL AND amount_minor IS NOT NULL)",
        name="capture_asked",
    ),
    # Money moved exactly when there is a capture time: refunded implies captured.
    CheckConstraint(
        "(captured_at IS NOT NULL) = (status IN ('captured', 'refunded'))",
        name="captured_at_iff_money_moved",
    ),
    CheckConstraint(
        "(refunded_at IS NOT NULL) = (status = 'refunded')", name="refunded_at_iff_refunded"
    ),
    CheckConstraint("refunded_at >= captured_at", name="refund_after_capture"),
    CheckConstraint(
        "status <> 'declined'"
        " OR coalesce(decline_reason, '') IN ('card-declined', 'amount-over-limit')",
        name="declined_has_reason",
    ),
    CheckConstraint(
        "decline_reason IS NULL OR status IN ('declined', 'voided')",
        name="reason_only_on_refusals",
    ),
    # A void knows nothing of the charge until a capture comes, which it then declines.
    CheckConstraint(
        "status <> 'voided' OR (decline_reason IS NULL AND amount_minor IS NULL"
        " AND customer_id IS NULL) OR (coalesce(decline_reason, '') = 'payment-voided'"
        " AND amount_minor IS NOT NULL AND customer_id IS NOT NULL)",
        name="void_answers_one_capture",
    ),
    CheckConstraint("updated_at >= created_at", name="updated_after_created"),
    # Keyset pages, newest first: all payments (admins) and one customer's.
    Index("ix_payments_created_at_id", "created_at", "id"),
    Index("ix_payments_customer_id_created_at_id", "customer_id", "created_at", "id"),
)

messaging = add_messaging_tables(metadata)
