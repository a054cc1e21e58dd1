from dataclasses import dataclass, field
from typing import ClassVar
from uuid import UUID, uuid4

import pytest
from sqlalchemy import MetaData, select, text

from bazaar_common.db.unit_of_work import RecordsEvents, SqlUnitOfWork
from bazaar_common.messaging.causation import caused_by
from bazaar_common.messaging.events import Event
from bazaar_common.messaging.outbox import Outbox
from bazaar_common.messaging.tables import add_messaging_tables


@pytest.fixture
async def counters(engine):
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE counters (name text PRIMARY KEY, n int)"))
    return engine


class CounterUnitOfWork(SqlUnitOfWork):
    def bind_repositories(self, connection):
        self.bound = connection

    async def add(self, name):
        await self.bound.execute(text("INSERT INTO counters VALUES (:n, 1)"), {"n": name})


async def names(engine):
    async with engine.connect() as connection:
        return list(await connection.scalars(text("SELECT name FROM counters ORDER BY name")))


async def test_commit_persists(counters):
    async with CounterUnitOfWork(counters) as uow:
        await uow.add("a")
        await uow.commit()
    assert await names(counters) == ["a"]


async def test_leaving_without_commit_rolls_back(counters):
    async with CounterUnitOfWork(counters) as uow:
        await uow.add("a")
    assert await names(counters) == []


async def test_an_error_rolls_back_everything(counters):
    with pytest.raises(RuntimeError):
        async with CounterUnitOfWork(counters) as uow:
            await uow.add("a")
            await uow.add("b")
            raise RuntimeError("use case failed")
    assert await names(counters) == []


async def test_commit_outside_the_block_is_refused(counters):
    with pytest.raises(RuntimeError, match="outside"):
        await CounterUnitOfWork(counters).commit()


async def test_connection_returns_to_the_pool(counters):
    for _ in range(5):  # the pool holds 2; a leak would block here
        async with CounterUnitOfWork(counters) as uow:
            await uow.add("x")
    assert counters.pool.checkedout() == 0


async def test_a_nested_block_joins_the_outer_transaction(counters):
    uow = CounterUnitOfWork(counters)
    async with uow:
        await uow.add("outer")
        async with uow:  # a use case called inside, e.g. by a consumer
            await uow.add("inner")
            await uow.commit()  # deferred to the outer block
        assert await names(counters) == []  # nothing visible yet
    # the outer block left without committing: both are rolled back
    assert await names(counters) == []
    async with uow:
        async with uow:
            await uow.add("inner")
            await uow.commit()
        await uow.commit()
    assert await names(counters) == ["inner"]


async def test_reading_inside_an_open_unit_sees_its_uncommitted_writes(counters):
    uow = CounterUnitOfWork(counters)
    async with uow:
        await uow.add("pending")
        async with uow.reading():
            rows = await uow.connection.scalar(text("SELECT count(*) FROM counters"))
        assert rows == 1


async def test_after_commit_callbacks_run_once_the_outermost_block_commits(counters):
    ran = []
    uow = CounterUnitOfWork(counters)
    async with uow:
        async with uow:  # a use case joining a consumer's transaction
            await uow.add("a")
            uow.after_commit(lambda: ran.append("committed"))
            await uow.commit()
            assert ran == []  # the inner commit commits nothing
        await uow.commit()
    assert ran == ["committed"]
    assert await names(counters) == ["a"]


async def test_after_commit_callbacks_are_dropped_on_rollback(counters):
    ran = []
    uow = CounterUnitOfWork(counters)
    async with uow:
        await uow.add("a")
        uow.after_commit(lambda: ran.append("a"))
    async with uow:
        await uow.add("b")
        await uow.commit()
    assert ran == []
    assert await names(counters) == ["b"]


# --- events recorded by aggregates, written to the outbox at commit ----------

notes_metadata = MetaData()
messaging = add_messaging_tables(notes_metadata)


class Noted(Event):
    event_type: ClassVar[str] = "Noted"
    subject_field: ClassVar[str] = "note_id"
    note_id: UUID


@dataclass
class Note:
    """An aggregate: it records an event when written."""

    id: UUID = field(default_factory=uuid4)
    events: list[Noted] = field(default_factory=list)

    def write(self) -> None:
        self.events.append(Noted(note_id=self.id))

    def pull_events(self) -> list[Noted]:
        pulled, self.events = self.events, []
        return pulled


class NoteRepository:
    def __init__(self, seen: list[RecordsEvents]) -> None:
        self._seen = seen

    def save(self, note: Note) -> None:
        self._seen.append(note)


class NotesUnitOfWork(SqlUnitOfWork):
    def __init__(self, engine) -> None:
        super().__init__(engine)
        self.written: list[tuple[UUID, str]] = []

    def bind_repositories(self, connection):
        self.notes = NoteRepository(self.seen)

    def outbox_on(self, connection):
        return Outbox(connection, messaging.outbox, source="bazaar.notes")

    def event_written(self, aggregate, event):
        self.written.append((aggregate.id, event.event_type))


class SilentUnitOfWork(SqlUnitOfWork):
    """A service that publishes nothing: it binds no outbox."""

    def bind_repositories(self, connection):
        self.notes = NoteRepository(self.seen)


@pytest.fixture
async def outbox(engine):
    async with engine.begin() as connection:
        await connection.run_sync(notes_metadata.create_all)
    return engine


async def outbox_rows(engine):
    async with engine.connect() as connection:
        rows = await connection.execute(select(messaging.outbox).order_by(messaging.outbox.c.id))
        return list(rows.mappings())


async def test_commit_writes_the_events_of_every_saved_aggregate(outbox):
    first, second = Note(), Note()
    uow = NotesUnitOfWork(outbox)
    async with uow:
        for note in (first, second):
            note.write()
            uow.notes.save(note)
        await uow.commit()

    rows = await outbox_rows(outbox)
    assert [(row["type"], row["subject"]) for row in rows] == [
        ("Noted", str(first.id)),
        ("Noted", str(second.id)),
    ]
    assert rows[0]["envelope"]["source"] == "bazaar.notes"
    assert first.events == second.events == []  # taken, so a second commit writes none
    assert uow.written == [(first.id, "Noted"), (second.id, "Noted")]


async def test_an_aggregate_no_repository_saved_publishes_nothing(outbox):
    note = Note()
    async with NotesUnitOfWork(outbox) as uow:
        note.write()  # changed, but its change is not written
        await uow.commit()
    assert await outbox_rows(outbox) == []


async def test_events_roll_back_with_their_transaction(outbox):
    uow = NotesUnitOfWork(outbox)
    async with uow:
        note = Note()
        note.write()
        uow.notes.save(note)
    async with uow:  # the next transaction starts with nothing seen
        await uow.commit()
    assert await outbox_rows(outbox) == []


async def test_a_joined_block_writes_its_events_while_its_cause_is_current(outbox):
    cause = uuid4()
    uow = NotesUnitOfWork(outbox)
    async with uow:  # the consumer's block
        with caused_by(cause):  # the consumer's handler
            async with uow:  # the use case the handler calls
                note = Note()
                note.write()
                uow.notes.save(note)
                await uow.commit()
        await uow.commit()

    (row,) = await outbox_rows(outbox)
    assert row["envelope"]["causation_id"] == str(cause)


async def test_a_unit_of_work_without_an_outbox_refuses_recorded_events(outbox):
    async with SilentUnitOfWork(outbox) as uow:
        note = Note()
        note.write()
        uow.notes.save(note)
        with pytest.raises(RuntimeError, match="no outbox"):
            await uow.commit()
