"""The supervisor of make run: a process that exits is started again, later each time it fails."""

from __future__ import annotations

from dataclasses import dataclass, field

from bazaar_devstack.supervisor import Member, Supervisor


@dataclass
class Clock:
    now: float = 0.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Process:
    """A process as the supervisor sees it: running or exited, and a restart that may fail."""

    status: int | None = None
    failures_left: int = 0
    starts: int = 0

    def restart(self) -> None:
        self.starts += 1
        if self.failures_left:
            self.failures_left -= 1
            raise RuntimeError("orders exited while starting:\nlog line one\nlog line two")
        self.status = None


@dataclass
class Terminal:
    lines: list[str] = field(default_factory=list)

    def __call__(self, line: str) -> None:
        self.lines.append(line)


def supervise(process: Process) -> tuple[Supervisor, Clock, Terminal]:
    clock, terminal = Clock(), Terminal()
    member = Member("orders", lambda: process.status, process.restart)
    return Supervisor([member], say=terminal, clock=clock), clock, terminal


def test_a_killed_process_is_started_again_after_the_first_delay():
    process = Process()
    supervisor, clock, terminal = supervise(process)
    supervisor.check()
    assert terminal.lines == []
    assert process.starts == 0

    process.status = -9
    supervisor.check()
    assert terminal.lines == ["orders: exited (killed by signal 9); restarting in 1 s"]
    assert supervisor.down() == ["orders"]

    clock.now = 0.5
    supervisor.check()
    assert process.starts == 0, "not before its delay"
    clock.now = 1.0
    supervisor.check()
    assert process.starts == 1
    assert terminal.lines[-1] == "orders: restarted (restart 1), serving again"
    assert supervisor.down() == []


def test_failed_starts_wait_twice_as_long_each_time_up_to_the_cap():
    process = Process(status=1, failures_left=10)
    supervisor, clock, terminal = supervise(process)
    supervisor.check()
    delays = []
    for _ in range(7):
        clock.now += 1_000
        supervisor.check()
        delays.append(terminal.lines[-1].rsplit("next try in ", 1)[1])
    assert delays == ["2 s", "4 s", "8 s", "16 s", "30 s", "30 s", "30 s"]
    assert "(orders exited while starting)" in terminal.lines[-1], "one line, not the log"


def test_a_process_that_crashes_soon_after_a_restart_waits_longer_next_time():
    process = Process()
    supervisor, clock, terminal = supervise(process)
    process.status = -9
    supervisor.check()
    clock.now = 1.0
    supervisor.check()
    process.status = -9
    clock.now = 2.0
    supervisor.check()
    assert terminal.lines[-1].endswith("restarting in 2 s")


def test_a_process_that_stayed_up_gets_the_short_delay_again():
    process = Process()
    supervisor, clock, terminal = supervise(process)
    for _ in range(3):  # three quick crashes: the delay grows to 8 s
        process.status = -9
        supervisor.check()
        clock.now += 10
        supervisor.check()
    clock.now += 61
    process.status = 1
    supervisor.check()
    assert terminal.lines[-1] == "orders: exited (status 1); restarting in 1 s"


def test_only_the_process_that_stopped_is_touched():
    crashed, healthy = Process(), Process()
    clock, terminal = Clock(), Terminal()
    supervisor = Supervisor(
        [
            Member("inventory", lambda: crashed.status, crashed.restart),
            Member("orders", lambda: healthy.status, healthy.restart),
        ],
        say=terminal,
        clock=clock,
    )
    crashed.status = -9
    supervisor.check()
    clock.now = 5
    supervisor.check()
    assert (crashed.starts, healthy.starts) == (1, 0)
    assert supervisor.down() == []
