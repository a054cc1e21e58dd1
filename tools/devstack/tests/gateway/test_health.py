"""ALB-like thresholds: a target flips only after enough results in a row."""

from __future__ import annotations

import pytest

from bazaar_devstack.gateway.health import HealthCheckSettings, TargetHealth

SETTINGS = HealthCheckSettings(healthy_threshold=3, unhealthy_threshold=2)


def test_a_healthy_target_turns_unhealthy_after_the_unhealthy_threshold():
    target = TargetHealth(True, SETTINGS)
    assert target.record(False) is False
    assert target.healthy
    assert target.record(False) is True
    assert not target.healthy


def test_a_pass_between_failures_resets_the_count():
    target = TargetHealth(True, SETTINGS)
    for passed in [False, True, False, True, False]:
        assert target.record(passed) is False
    assert target.healthy


def test_an_unhealthy_target_needs_the_healthy_threshold_to_come_back():
    target = TargetHealth(False, SETTINGS)
    assert [target.record(True) for _ in range(3)] == [False, False, True]
    assert target.healthy


@pytest.mark.parametrize(
    "settings",
    [
        {"interval_seconds": 1, "timeout_seconds": 2},
        {"timeout_seconds": 0},
        {"healthy_threshold": 0},
        {"unhealthy_threshold": 0},
    ],
)
def test_impossible_settings_are_refused(settings):
    with pytest.raises(ValueError, match="health check"):
        HealthCheckSettings(**settings)
