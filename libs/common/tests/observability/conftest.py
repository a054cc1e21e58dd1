"""This process's telemetry, installed once with in-memory exporters, and what it recorded.

The OpenTelemetry globals take one SDK provider per process, so the session
installs one and each test clears what the previous one recorded.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from bazaar_common.logging import JsonFormatter
from bazaar_common.observability import Telemetry, TelemetryConfig, build_telemetry, install


@dataclass
class Observed:
    telemetry: Telemetry
    exporter: InMemorySpanExporter
    reader: InMemoryMetricReader

    def spans(self) -> list[ReadableSpan]:
        return list(self.exporter.get_finished_spans())

    def metric_points(self, name: str) -> list[Any]:
        """Every data point of the metric ``name`` collected so far (cumulative)."""
        data = self.reader.get_metrics_data()
        points: list[Any] = []
        for resource in data.resource_metrics if data else ():
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    if metric.name == name:
                        points.extend(metric.data.data_points)
        return points


@pytest.fixture(scope="session")
def observed_session() -> Observed:
    exporter = InMemorySpanExporter()
    reader = InMemoryMetricReader()
    telemetry = build_telemetry(
        TelemetryConfig(service_name="observed"),
        span_processors=[SimpleSpanProcessor(exporter)],
        metric_readers=[reader],
    )
    return Observed(install(telemetry), exporter, reader)


@pytest.fixture
def observed(observed_session: Observed) -> Observed:
    observed_session.exporter.clear()
    return observed_session


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter("observed"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def json_log_lines() -> Iterator[list[str]]:
    """The JSON lines the service's formatter writes for records of ``bazaar.*`` loggers."""
    handler = _Lines()
    logger = logging.getLogger("bazaar")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    yield handler.lines
    logger.removeHandler(handler)
    logger.setLevel(previous)
