"""The history database schema, as SQLAlchemy Core tables."""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, Column, DateTime, Index, String, Table, Uuid
from sqlalchemy.dialects.postgresql import JSONB

from bazaar_common.db.naming import service_metadata
from bazaar_common.messaging.tables import add_messaging_tables
from bazaar_history.domain.model import OrderState, PaymentState

metadata = service_metadata()

_STATES = tuple(state.value for state in OrderState)
_PAYMENT_STATES = tuple(state.value for state in PaymentState)

# One row per order, written only by the consumer's handlers (``domain.model``
# says how each event is merged in). Every column but the key, the state and
# the first event's time is null until an event that carries it comes.
order_history = Table(
    "order_history",
    metadata,
    Column("order_id", Uuid, primary_key=True),
    Column("first_event_at", DateTime(timezone=True), nullable=False),
    Column("state", String(16), nullable=False),
    Column("customer_id", String(128)),
    # [{"sku", "quantity", "unit_price_minor"}, ...] as OrderPlaced lists them.
    Column("lines", JSONB),
    Column("total_minor", BigInteger),
    Column("currency", String(3)),
    Column("placed_at", DateTime(timezone=True)),
    Column("confirmed_at", DateTime(timezone=True)),
    Column("cancelled_at", DateTime(timezone=True)),
    Column("cancel_reason", String(64)),
    Column("payment_state", String(16)),
    Column("payment_id", Uuid),
    Column("payment_amount_minor", BigInteger),
    Column("payment_decline_reason", String(64)),
    Column("shipment_id", Uuid),
    Column("shipment_created_at", DateTime(timezone=True)),
    CheckConstraint(f"state IN {_STATES}", name="state_known"),
    CheckConstraint(
        f"payment_state IS NULL OR payment_state IN {_PAYMENT_STATES}", name="payment_state_known"
    ),
    # Keyset pages, newest first: everyone's (admins), one customer's, one state's.
    Index("ix_order_history_first_event_at_order_id", "first_event_at", "order_id"),
    Index(
        "ix_order_history_customer_id_first_event_at_order_id",
        "customer_id",
        "first_event_at",
        "order_id",
    ),
    Index("ix_order_history_state_first_event_at_order_id", "state", "first_event_at", "order_id"),
)

# History publishes nothing: the outbox is there because every service
# database holds the pair; the inbox is its consumer's.
messaging = add_messaging_tables(metadata)
