"""The idempotency keys table every service with state-changing POSTs holds.

A service adds it to its own metadata (``add_idempotency_keys``) so its
Alembic migrations create it next to its domain tables, in its own database.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    Uuid,
)

from bazaar_common.idempotency.rules import MAX_KEY_LENGTH

TABLE_NAME = "idempotency_keys"


@dataclass(frozen=True, slots=True)
class CreatedResource:
    """A column for what a completed request created, deleted with it (``ON DELETE CASCADE``)."""

    column: str
    references: str
    """The ``table.column`` it is a foreign key to."""


def add_idempotency_keys(
    metadata: MetaData,
    *,
    caller_column: str = "caller",
    created: CreatedResource | None = None,
) -> Table:
    """The table; its columns are reached by the same keys whatever their names.

    ``caller_column`` and ``created`` name columns as an existing schema has
    them (orders: ``customer_id``, ``order_id``); the repository reaches them
    as ``c.caller`` and ``c.resource_id``.
    """
    completed_needs = ["response_status IS NOT NULL", "response_body IS NOT NULL"]
    resource: list[Column[object]] = []
    if created is not None:
        completed_needs.append(f"{created.column} IS NOT NULL")
        resource.append(
            Column(
                created.column,
                Uuid,
                ForeignKey(created.references, ondelete="CASCADE"),
                key="resource_id",
            )
        )
    return Table(
        TABLE_NAME,
        metadata,
        Column(caller_column, String(128), key="caller", primary_key=True),
        Column("key", String(MAX_KEY_LENGTH), primary_key=True),
        Column("fingerprint", String(64), nullable=False),
        Column("state", String(16), nullable=False),
        Column("lease_token", Uuid),
        Column("lease_expires_at", DateTime(timezone=True)),
        Column("response_status", SmallInteger),
        Column("response_body", Text),
        *resource,
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("expires_at", DateTime(timezone=True), nullable=False),
        CheckConstraint("state IN ('in-progress', 'completed')", name="state_known"),
        CheckConstraint(
            "state <> 'in-progress' OR (lease_token IS NOT NULL AND lease_expires_at IS NOT NULL)",
            name="in_progress_has_lease",
        ),
        CheckConstraint(
            f"state <> 'completed' OR ({' AND '.join(completed_needs)})",
            name="completed_has_response",
        ),
        # The sweep deletes by expiry.
        Index(f"ix_{TABLE_NAME}_expires_at", "expires_at"),
    )
