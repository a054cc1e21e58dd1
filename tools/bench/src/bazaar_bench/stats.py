"""Medians with their spread, and ratios taken pair by pair within a round."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Spread:
    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        if not values:
            raise ValueError("no values")
        return cls(statistics.median(values), min(values), max(values))

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def paired_ratios(values: Sequence[float], baselines: Sequence[float]) -> list[float]:
    """Each round's value over the same round's baseline.

    Taken side by side in time, a noisy round (other work on the machine)
    skews one pair, not the whole result.
    """
    if len(values) != len(baselines):
        raise ValueError(f"{len(values)} values but {len(baselines)} baselines")
    return [value / baseline for value, baseline in zip(values, baselines, strict=True)]


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value at index floor(fraction * n) of the sorted values (0-based)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]
