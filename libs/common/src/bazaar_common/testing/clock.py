"""A clock the test moves, for code that takes ``clock: Callable[[], float]``."""

from __future__ import annotations


class FakeClock:
    """Seconds as a float: call it for the time, ``advance`` it to move on.

    Set ``now`` directly to jump to a given moment.
    """

    def __init__(self, now: float = 1_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
