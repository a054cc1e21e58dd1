"""Exponential backoff with full jitter, for anything that retries a failing dependency.

Used by the outbox relay, the queue consumer and service HTTP clients alike.
"""

from __future__ import annotations

import random as random_module
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with full jitter (AWS Builders' Library).

    The n-th failure in a row waits uniformly in ``[0, min(cap, base * 2**(n-1))]``:
    callers that failed together do not retry together.
    """

    base_seconds: float = 0.2
    cap_seconds: float = 30.0
    random: Callable[[], float] = field(default=random_module.random)

    def delay(self, failures: int) -> float:
        ceiling = min(self.cap_seconds, self.base_seconds * 2.0 ** min(failures - 1, 62))
        return self.random() * ceiling
