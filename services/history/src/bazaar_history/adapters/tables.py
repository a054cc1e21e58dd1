"""The history database schema, as SQLAlchemy Core tables."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, String, Table, Uuid

from bazaar_common.db.naming import service_metadata
from bazaar_common.idempotency.table import add_idempotency_keys
from bazaar_common.messaging.tables import add_messaging_tables

metadata = service_metadata()

records = Table(
    "history_records",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("customer_id", String(128)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # The event a record was made from: unique, so a redelivery the inbox
    # missed (its rows purged) still makes no second record.
    Column("source_event_id", Uuid, unique=True),
    Column("source_subject", String(128)),
    # Keyset pages, newest first: all records (admins) and one customer's.
    Index("ix_history_records_created_at_id", "created_at", "id"),
    Index("ix_history_records_customer_id_created_at_id", "customer_id", "created_at", "id"),
)

idempotency_keys = add_idempotency_keys(metadata)

messaging = add_messaging_tables(metadata)
