"""The shipping database schema, as SQLAlchemy Core tables."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, String, Table, Uuid

from bazaar_common.db.naming import service_metadata
from bazaar_common.messaging.tables import add_messaging_tables

metadata = service_metadata()

shipments = Table(
    "shipments",
    metadata,
    Column("id", Uuid, primary_key=True),
    # One shipment per order: a redelivered OrderConfirmed the inbox missed
    # (its rows purged or restored) still makes no second shipment.
    Column("order_id", Uuid, nullable=False, unique=True),
    Column("customer_id", String(128), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Keyset pages, newest first: all shipments (admins) and one customer's.
    Index("ix_shipments_created_at_id", "created_at", "id"),
    Index("ix_shipments_customer_id_created_at_id", "customer_id", "created_at", "id"),
)

messaging = add_messaging_tables(metadata)
