from __future__ import annotations

import math

import pytest

from bazaar_bench.projection import (
    EVENTBRIDGE,
    HOPS,
    SQS,
    Delivery,
    own_work_ms,
    project,
    projections,
)


def test_a_log_normal_fitted_to_two_percentiles_gives_them_back() -> None:
    mu, sigma = EVENTBRIDGE.log_normal()
    assert math.exp(mu) == pytest.approx(148.0)
    assert math.exp(mu + 2.3263478740408408 * sigma) == pytest.approx(387.0)


def test_a_delivery_without_a_tail_above_its_median_is_refused() -> None:
    with pytest.raises(ValueError, match="p50 < p99"):
        Delivery("flat", 10.0, 10.0, "nowhere").log_normal()


def test_own_work_is_each_saga_without_moto_on_every_hop_never_below_zero() -> None:
    # Moto's median delivery is 20 ms: 4 hops take 80 ms out of each saga.
    assert own_work_ms([100.0, 150.0, 60.0], [10.0, 20.0, 30.0]) == [20.0, 70.0, 0.0]


def test_the_sum_of_the_hops_lands_where_its_median_should() -> None:
    # No own work: the sum of four log-normals, whose median lies between
    # four medians and four means.
    projected = project([80.0] * 10, [20.0] * 10, EVENTBRIDGE, draws=20_000)
    mu, sigma = EVENTBRIDGE.log_normal()
    mean = math.exp(mu + sigma**2 / 2)
    assert HOPS * 148.0 < projected.p50_ms < HOPS * mean
    assert projected.own_work_p50_ms == 0.0
    # Tails rarely meet: the simulated p99 is below every p99 at once.
    assert projected.p50_ms < projected.p99_ms < projected.conservative_p99_ms
    assert projected.conservative_p99_ms == pytest.approx(HOPS * 387.0)


def test_own_work_adds_to_the_projection() -> None:
    quiet = project([80.0] * 10, [20.0] * 10, SQS, draws=5_000)
    busy = project([180.0] * 10, [20.0] * 10, SQS, draws=5_000)
    assert busy.p50_ms == pytest.approx(quiet.p50_ms + 100.0)


def test_the_same_inputs_give_the_same_figures() -> None:
    sagas, deliveries = [300.0, 320.0, 400.0], [50.0, 60.0]
    assert project(sagas, deliveries, SQS, draws=2_000) == project(
        sagas, deliveries, SQS, draws=2_000
    )


def test_both_designs_are_projected_and_nothing_without_measurements() -> None:
    both = projections([300.0, 320.0], [50.0, 60.0], draws=2_000)
    assert set(both) == {"eventbridge", "point_to_point"}
    assert both["point_to_point"]["p50_ms"] < both["eventbridge"]["p50_ms"]
    with pytest.raises(ValueError, match="need measured"):
        project([], [1.0], SQS)
