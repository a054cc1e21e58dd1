"""The history record: made once, owned by its customer, and telling the bus."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from bazaar_contracts.history import HistoryCreated
from bazaar_history.domain.model import History, Origin

T0 = datetime(2030, 1, 1, tzinfo=UTC)
RECORD_ID = UUID(int=1)


def test_a_new_record_records_that_it_was_created():
    record = History.create(RECORD_ID, customer_id="customer-1", now=T0)

    assert (record.id, record.customer_id, record.created_at) == (RECORD_ID, "customer-1", T0)
    assert record.pull_events() == [HistoryCreated(history_id=RECORD_ID, customer_id="customer-1")]
    assert record.pull_events() == []


def test_a_record_made_from_an_event_keeps_its_origin():
    origin = Origin(UUID(int=2), "subject-1")
    record = History.create(RECORD_ID, customer_id=None, now=T0, origin=origin)

    assert record.origin == origin
    assert [event.subject for event in record.pull_events()] == [str(RECORD_ID)]


def test_only_its_owner_and_admins_see_a_record():
    record = History.create(RECORD_ID, customer_id="customer-1", now=T0)

    assert record.visible_to("customer-1")
    assert record.visible_to(None)
    assert not record.visible_to("customer-2")


def test_a_record_without_owner_is_for_admins_only():
    record = History.create(RECORD_ID, customer_id=None, now=T0)

    assert record.visible_to(None)
    assert not record.visible_to("customer-1")
