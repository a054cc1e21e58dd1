"""Backoff delays: exponential ceilings, full jitter below them."""

from __future__ import annotations

import random
from statistics import mean

import pytest

from bazaar_common.backoff import Backoff


def test_the_ceiling_doubles_per_failure_up_to_the_cap():
    backoff = Backoff(base_seconds=0.2, cap_seconds=30.0, random=lambda: 1.0)
    delays = [backoff.delay(failures) for failures in range(1, 11)]
    assert delays == pytest.approx([0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8, 25.6, 30.0, 30.0])


def test_a_huge_failure_count_stays_at_the_cap():
    assert Backoff(cap_seconds=30.0, random=lambda: 1.0).delay(100_000) == 30.0


def test_delays_are_spread_uniformly_below_the_ceiling():
    backoff = Backoff(base_seconds=0.2, cap_seconds=30.0, random=random.Random(7).random)
    delays = [backoff.delay(5) for _ in range(1_000)]  # ceiling 3.2 s
    assert all(0.0 <= delay <= 3.2 for delay in delays)
    assert len(set(delays)) == len(delays)
    assert 1.4 < mean(delays) < 1.8
    assert min(delays) < 0.1
    assert max(delays) > 3.1


def test_the_same_seed_gives_the_same_delays():
    def delays(seed):
        backoff = Backoff(random=random.Random(seed).random)
        return [backoff.delay(failures) for failures in range(1, 8)]

    assert delays(3) == delays(3)
    assert delays(3) != delays(4)
