from __future__ import annotations

import pytest

from bazaar_bench.http_cases import CASES, Measured, rotated
from bazaar_bench.results import GOALS, answers, http_figures, judge
from bazaar_bench.stats import Spread, paired_ratios, percentile
from bazaar_bench.wrk import Sample


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
        ("catalog page uncached, ratio to bare", False),
    ]


def test_every_goal_of_the_issue_is_there() -> None:
    targets = {goal.name: goal.target for goal in GOALS}
    assert targets == {
        "order read, ratio to bare": ">= 0.30",
        "order read, of the floor (raw asyncpg read)": ">= 0.75",
        "order read p99, times its p50": "<= 5",
        "catalog page uncached, ratio to bare": ">= 0.30",
        "catalog page cached, ratio to bare": ">= 0.60",
        "orders page (20 orders), ratio to bare": ">= 0.15",
        "place order alone (relay and consumers elsewhere), ratio to bare": ">= 0.12",
        "order read through the gateway, of direct": ">= 0.90",
        "catalog page through the gateway, of direct": ">= 0.90",
        "gateway's added p50 (order read)": "<= 1 ms",
        "gateway's added p50 (catalog page)": "<= 1 ms",
        "saga POST -> CONFIRMED p50": "<= 120 ms",
        "saga POST -> CONFIRMED p99": "<= 300 ms",
        "saga throughput, one worker a service (orders/s, invariants hold)": ">= 15",
        "saga throughput, two workers a service, of one": ">= 1.7",
        "projected AWS saga p50, every message on EventBridge": "<= 300 ms",
        "projected AWS saga p50, commands point to point on SQS": "<= 300 ms",
    }


def throughput(rate: float, invariants: str = "hold") -> dict:
    return {"confirmed_per_second": rate, "invariants": invariants}


@pytest.mark.parametrize(
    ("invariants", "met"), [("hold", True), ("BROKEN: a payment without its order", False)]
)
def test_throughput_is_met_only_while_the_invariants_hold(invariants: str, met: bool) -> None:
    results = {
        "saga_throughput": {
            "one_worker": throughput(16.0, invariants),
            "two_workers": throughput(32.0, invariants),
            "two_of_one": 2.0,
        }
    }
    assert [goal["met"] for goal in judge(results)] == [met, met]


def sample(
    rps: float, p50: float = 2.0, p99: float = 8.0, tallies: dict[str, dict[str, int]] | None = None
) -> Sample:
    return Sample(int(rps), 1.0, rps, p50, p99, tallies or {})


def test_the_order_read_is_judged_against_the_floor_of_the_same_round() -> None:
    measured = {
        "bare": Measured(samples=[sample(1000), sample(500)], cpu_us=[100, 100]),
        "floor": Measured(samples=[sample(800), sample(400)], cpu_us=[100, 100]),
        "order": Measured(samples=[sample(600), sample(200, p99=12.0)], cpu_us=[300, 300]),
    }
    order = http_figures(measured)["cases"]["order"]
    assert order["ratio_to_floor"] == {"median": 0.625, "low": 0.5, "high": 0.75}
    assert order["p99_over_p50"] == {"median": 5.0, "low": 4.0, "high": 6.0}


def test_the_hit_ratio_counts_the_answers_that_said_anything() -> None:
    found = answers(
        [
            sample(1, tallies={"status": {"200": 90}, "x-cache-status": {"hit": 80, "miss": 10}}),
            sample(1, tallies={"status": {"200": 10}, "x-cache-status": {"hit": 10}}),
        ]
    )
    assert found["hit_ratio"] == 0.9
    assert found["status"] == {"200": 100}
    assert found["not_modified_ratio"] == 0.0


def test_without_x_cache_status_the_hit_ratio_is_unknown_not_zero() -> None:
    found = answers([sample(1, tallies={"status": {"200": 50}, "x-cache-status": {"none": 50}})])
    assert found["hit_ratio"] is None
