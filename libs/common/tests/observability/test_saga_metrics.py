"""A saga's end is one count per outcome and one duration, the metrics an operator graphs."""

from __future__ import annotations

from bazaar_common.observability import record_saga_outcome


def test_each_outcome_is_counted_and_timed(observed):
    before = {
        dict(point.attributes)["outcome"]: point.value
        for point in observed.metric_points("bazaar.saga.outcomes")
    }

    record_saga_outcome("confirmed", 0.4)
    record_saga_outcome("confirmed", 0.6)
    record_saga_outcome("step-timeout", 30.0)

    counts = {
        dict(point.attributes)["outcome"]: point.value
        for point in observed.metric_points("bazaar.saga.outcomes")
    }
    assert counts["confirmed"] - before.get("confirmed", 0) == 2
    assert counts["step-timeout"] - before.get("step-timeout", 0) == 1
    durations = {
        dict(point.attributes)["outcome"]: point
        for point in observed.metric_points("bazaar.saga.duration")
    }
    assert durations["step-timeout"].max >= 30.0
