"""Keep the local system's processes running, as ECS replaces a task that stopped.

``make run`` hands the processes it can replace (every service, and moto)
to a :class:`Supervisor`. When one exits on its own (a crash, a
``kill -9``), the others keep running and the supervisor starts it again
after a delay that doubles with each failed or short-lived attempt, up to a
cap, and says so on the terminal. A process that has then stayed up for a
while gets the short delay again next time. Only the process that stopped is
touched: the system degrades where the fault is, as it does in AWS.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from bazaar_common.messaging.bootstrap import bootstrap
from bazaar_common.messaging.topology import Topology
from bazaar_common.testing.moto import MotoServer
from bazaar_common.testing.service_process import ServiceProcess
from bazaar_devstack.outbox_replay import republish_undelivered

FIRST_DELAY_SECONDS = 1.0
MAX_DELAY_SECONDS = 30.0
# Up this long after a start, a process counts as healthy again: its next
# crash waits FIRST_DELAY_SECONDS, not the doubled delay.
STABLE_AFTER_SECONDS = 60.0


@dataclass
class Member:
    """One supervised process: how to tell it runs, and how to bring it back."""

    name: str
    exit_status: Callable[[], int | None]
    """None while it runs, else its exit status (negative: the signal that ended it)."""
    restart: Callable[[], None]
    """Start it again and return once it serves; raise if it cannot."""


def service_member(name: str, process: ServiceProcess) -> Member:
    """A service, started again on its port with its settings; restarted once ready."""

    def restart() -> None:
        process.start().wait_ready()

    return Member(name, lambda: process.exit_status, restart)


def moto_member(
    moto: MotoServer,
    topology: Topology,
    region: str,
    databases: Mapping[str, str],
    *,
    then: Callable[[], None] | None = None,
) -> Member:
    """moto, started again on its port with the topology, and what it lost published again.

    moto keeps nothing: the events on the bus and in the queues are gone.
    What went out since the lost server started and some consumer has not
    handled is published again from the outboxes (``outbox_replay``;
    ``databases``: each service's DSN by name). ``then`` recreates anything
    else the system keeps there (make run's user pool).
    """

    lost_since: list[datetime] = []  # kept across failed attempts, until replayed

    def restart() -> None:
        if moto.exit_status is not None:
            if not lost_since and moto.started_at is not None:
                lost_since.append(moto.started_at)
            moto.start()
        asyncio.run(bootstrap(topology, endpoint_url=moto.url, region=region))
        if then is not None:
            then()
        if lost_since:
            asyncio.run(republish_undelivered(databases, topology, lost_since[0]))
            lost_since.clear()

    return Member("moto", lambda: moto.exit_status, restart)


@dataclass
class _Watch:
    member: Member
    delay: float = FIRST_DELAY_SECONDS
    due: float | None = None  # when the next start is tried, while it is down
    started_at: float = 0.0
    restarts: int = 0


@dataclass
class Supervisor:
    members: list[Member]
    say: Callable[[str], None] = print
    clock: Callable[[], float] = time.monotonic
    first_delay: float = FIRST_DELAY_SECONDS
    max_delay: float = MAX_DELAY_SECONDS
    stable_after: float = STABLE_AFTER_SECONDS
    _watches: list[_Watch] = field(default_factory=list)

    def __post_init__(self) -> None:
        now = self.clock()
        self._watches = [_Watch(m, self.first_delay, started_at=now) for m in self.members]

    def check(self) -> None:
        """Look at every member once: notice an exit, or start one whose delay ran out."""
        for watch in self._watches:
            if watch.due is None:
                self._notice_exit(watch)
            elif self.clock() >= watch.due:
                self._start(watch)

    def down(self) -> list[str]:
        """The members waiting to be started again."""
        return [watch.member.name for watch in self._watches if watch.due is not None]

    def _notice_exit(self, watch: _Watch) -> None:
        status = watch.member.exit_status()
        if status is None:
            return
        now = self.clock()
        if now - watch.started_at >= self.stable_after:
            watch.delay = self.first_delay
        watch.due = now + watch.delay
        self.say(
            f"{watch.member.name}: exited ({_describe(status)}); restarting in {watch.delay:g} s"
        )

    def _start(self, watch: _Watch) -> None:
        watch.restarts += 1
        try:
            watch.member.restart()
        except Exception as error:  # any failure: try again later, say why
            watch.delay = min(watch.delay * 2, self.max_delay)
            watch.due = self.clock() + watch.delay
            self.say(
                f"{watch.member.name}: restart {watch.restarts} failed "
                f"({_first_line(error)}); "
                f"next try in {watch.delay:g} s"
            )
            return
        watch.started_at = self.clock()
        watch.due = None
        self.say(f"{watch.member.name}: restarted (restart {watch.restarts}), serving again")
        watch.delay = min(watch.delay * 2, self.max_delay)


def _describe(status: int) -> str:
    return f"killed by signal {-status}" if status < 0 else f"status {status}"


def _first_line(error: Exception) -> str:
    """The reason, without the log tail a failed start appends."""
    return (str(error).splitlines() or [type(error).__name__])[0].rstrip(":")
