from __future__ import annotations

import pytest

from bazaar_bench.http_cases import CASES, rotated
from bazaar_bench.results import GOALS, judge
from bazaar_bench.stats import Spread, paired_ratios, percentile


def test_ratios_pair_each_round_with_its_own_baseline() -> None:
    assert paired_ratios([300, 200], [1000, 500]) == [0.3, 0.4]
    with pytest.raises(ValueError, match="baselines"):
        paired_ratios([1, 2], [1])


def test_a_spread_is_median_min_and_max() -> None:
    assert Spread.of([3, 1, 2]) == Spread(2, 1, 3)
    with pytest.raises(ValueError, match="no values"):
        Spread.of([])


def test_percentile_takes_the_sorted_value_at_its_index() -> None:
    values = list(range(100))
    assert (percentile(values, 0.5), percentile(values, 0.99)) == (50, 99)


def test_every_round_runs_every_steady_case_once_in_a_shifting_order() -> None:
    steady = {case.name for case in CASES if not case.starts_sagas}
    assert "place-order" not in steady
    for round_number in range(len(CASES) + 1):
        order = rotated(CASES, round_number)
        assert sorted(case.name for case in order) == sorted(steady)
    assert rotated(CASES, 0)[0] != rotated(CASES, 1)[0]


def measured(**figures: float) -> dict:
    results: dict = {"http": {"cases": {}, "gateway": {}}}
    for name, value in figures.items():
        results["http"]["cases"][name] = {"ratio_to_bare": {"median": value}}
    return results


def test_goals_are_judged_on_what_was_measured_only() -> None:
    judged = judge(measured(order=0.35, **{"catalog-page": 0.25}))
    assert [(goal["goal"], goal["met"]) for goal in judged] == [
        ("order read, ratio to bare", True),
        ("catalog page, ratio to bare", False),
    ]


def test_every_goal_of_the_issue_is_there() -> None:
    targets = {goal.name: goal.target for goal in GOALS}
    assert targets["order read, ratio to bare"] == ">= 0.30"
    assert targets["place order, ratio to bare"] == ">= 0.12"
    assert targets["event hop p50"] == "<= 50 ms"
    assert targets["saga POST -> CONFIRMED p50"] == "<= 250 ms"
