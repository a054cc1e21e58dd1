"""The audit database schema, as SQLAlchemy Core tables.

``events`` is append-only: the migration adds a trigger that refuses every
UPDATE and DELETE on it (TRUNCATE stays possible, for tests and for an
operator deliberately wiping a non-production store). ``archive_pending``
holds what the archive writer has still to write.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, Integer, String, Table, Text, Uuid, func, text
from sqlalchemy.dialects.postgresql import JSONB

from bazaar_common.db.naming import service_metadata
from bazaar_common.messaging.tables import add_messaging_tables

metadata = service_metadata()

events = Table(
    "events",
    metadata,
    # The envelope's id: a redelivery the inbox somehow missed still stores once.
    Column("event_id", Uuid, primary_key=True),
    Column("type", String(64), nullable=False),
    Column("source", Text, nullable=False),
    Column("subject", String(128), nullable=False),
    Column("version", Integer, nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("causation_id", Uuid),
    Column("traceparent", String(55)),
    # Exactly what arrived, whatever the columns above make of it.
    Column("envelope", JSONB, nullable=False),
    # Each index ends with the full sort key, so every filtered page is one
    # index range scan in (occurred_at, event_id) order.
    Index("ix_events_subject_occurred_at", "subject", "occurred_at", "event_id"),
    Index("ix_events_type_occurred_at", "type", "occurred_at", "event_id"),
    Index("ix_events_occurred_at", "occurred_at", "event_id"),
)

# Stored events not yet in the archive: written with the event, in its
# transaction; a batch's rows get its key when it is claimed and go once its
# object is written (bazaar_audit.archiving).
archive_pending = Table(
    "archive_pending",
    metadata,
    Column("event_id", Uuid, primary_key=True),
    Column("batch_key", Text),
    Index(
        "ix_archive_pending_claimed",
        "batch_key",
        postgresql_where=text("batch_key IS NOT NULL"),
    ),
)

messaging = add_messaging_tables(metadata)
