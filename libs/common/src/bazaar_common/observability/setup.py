"""Telemetry for one process: providers built from the config, installed once.

``configure_observability`` is called by the app factory; a second call (a
test building several apps) returns what the first one installed. The
OpenTelemetry globals can be set only once per process, so nothing here
replaces them: tests install their in-memory exporter first (``testing``).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from opentelemetry import metrics, trace
from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.metrics import MeterProvider, NoOpMeterProvider
from opentelemetry.sdk.metrics import MeterProvider as SdkMeterProvider
from opentelemetry.sdk.metrics.export import (
    ConsoleMetricExporter,
    MetricExporter,
    MetricReader,
    PeriodicExportingMetricReader,
)
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor
from opentelemetry.sdk.trace import TracerProvider as SdkTracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.trace import NoOpTracerProvider, TracerProvider

from bazaar_common.observability.config import Exporter, TelemetryConfig
from bazaar_common.observability.sampling import SkipOrphanClientSpans, configured_sampler

logger = logging.getLogger("bazaar.observability")


@dataclass(frozen=True)
class Telemetry:
    """The providers instrumentation uses in this process.

    With tracing off the tracer provider is the API's no-op one: spans cost
    next to nothing, yet an incoming ``traceparent`` (a request's header, an
    event's envelope) still becomes the current context and flows onwards.
    """

    config: TelemetryConfig
    tracer_provider: TracerProvider
    meter_provider: MeterProvider

    @property
    def tracing(self) -> bool:
        return isinstance(self.tracer_provider, SdkTracerProvider)

    @property
    def metering(self) -> bool:
        return isinstance(self.meter_provider, SdkMeterProvider)

    def shutdown(self) -> None:
        """Flush and stop exporting (also done at exit by the SDK)."""
        if isinstance(self.tracer_provider, SdkTracerProvider):
            self.tracer_provider.shutdown()
        if isinstance(self.meter_provider, SdkMeterProvider):
            self.meter_provider.shutdown()


def build_telemetry(
    config: TelemetryConfig,
    *,
    span_processors: Sequence[SpanProcessor] = (),
    metric_readers: Sequence[MetricReader] = (),
) -> Telemetry:
    """Providers for ``config``; extra processors and readers (tests) are added to them."""
    if config.disabled:
        return Telemetry(config, NoOpTracerProvider(), NoOpMeterProvider())
    resource = Resource.create({"service.name": config.service_name, **config.resource_attributes})
    processors = list(span_processors)
    span_exporter = _span_exporter(config)
    if span_exporter is not None:
        # Bounded queue (OTEL_BSP_MAX_QUEUE_SIZE, 2048): a collector that is
        # down costs dropped spans and a logged warning, never the service.
        processors.append(
            BatchSpanProcessor(span_exporter, max_export_batch_size=_batch_size(os.environ))
        )
    tracer_provider: TracerProvider = NoOpTracerProvider()
    if processors:
        sdk_tracer_provider = SdkTracerProvider(
            resource=resource,
            sampler=SkipOrphanClientSpans(configured_sampler(config.sampler, config.sampler_ratio)),
        )
        for processor in processors:
            sdk_tracer_provider.add_span_processor(processor)
        tracer_provider = sdk_tracer_provider
    readers = list(metric_readers)
    metric_exporter = _metric_exporter(config)
    if metric_exporter is not None:
        readers.append(PeriodicExportingMetricReader(metric_exporter))
    meter_provider: MeterProvider = (
        SdkMeterProvider(resource=resource, metric_readers=readers)
        if readers
        else NoOpMeterProvider()
    )
    return Telemetry(config, tracer_provider, meter_provider)


# The export thread encodes a whole batch to protobuf in Python, holding the
# GIL; the event loop waits for it between its I/O calls, so a request in
# flight meanwhile takes that long more. The SDK's batch of 512 spans made
# those waits the service's p99; batches of 64 are exported sooner and
# more often, each a short wait.
EXPORT_BATCH_SIZE = 64


def _batch_size(environ: Mapping[str, str]) -> int | None:
    """Our batch size, unless ``OTEL_BSP_MAX_EXPORT_BATCH_SIZE`` asks for another (None)."""
    if environ.get("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "").strip():
        return None  # the SDK reads the variable itself
    return EXPORT_BATCH_SIZE


def _span_exporter(config: TelemetryConfig) -> SpanExporter | None:
    if config.traces is Exporter.CONSOLE:
        return ConsoleSpanExporter(out=sys.stderr)
    if config.traces is Exporter.OTLP:
        # Without an endpoint the exporter's own default (localhost:4318) applies.
        return OTLPSpanExporter(endpoint=config.traces_endpoint)
    return None


def _metric_exporter(config: TelemetryConfig) -> MetricExporter | None:
    if config.metrics is Exporter.CONSOLE:
        return ConsoleMetricExporter(out=sys.stderr)
    if config.metrics is Exporter.OTLP:
        return OTLPMetricExporter(endpoint=config.metrics_endpoint)
    return None


_installed: Telemetry | None = None


def install(telemetry: Telemetry) -> Telemetry:
    """Make ``telemetry`` this process's: the OpenTelemetry globals point at it.

    Only SDK providers are set as globals (the API's defaults are no-ops
    already), so a process that started with telemetry off can still get
    real providers later, once: the globals refuse a second SDK provider.
    """
    global _installed
    # The stable HTTP conventions (http.server.request.duration in seconds,
    # by http.route); the old ones, the instrumentations' default, lose the
    # router prefix from the route. Read once, at the first instrumentation.
    os.environ.setdefault("OTEL_SEMCONV_STABILITY_OPT_IN", "http")
    if isinstance(telemetry.tracer_provider, SdkTracerProvider):
        trace.set_tracer_provider(telemetry.tracer_provider)
    if isinstance(telemetry.meter_provider, SdkMeterProvider):
        metrics.set_meter_provider(telemetry.meter_provider)
    _installed = telemetry
    return telemetry


def configure_observability(service: str, environ: Mapping[str, str] | None = None) -> Telemetry:
    """This process's telemetry, built from the ``OTEL_*`` variables on the first call."""
    if _installed is not None:
        return _installed
    config = TelemetryConfig.from_env(service, os.environ if environ is None else environ)
    telemetry = install(build_telemetry(config))
    logger.info(
        "telemetry configured",
        extra={
            "traces_exporter": "off" if config.disabled else config.traces.value,
            "metrics_exporter": "off" if config.disabled else config.metrics.value,
            "sampler": config.sampler,
            "sampler_ratio": config.sampler_ratio,
        },
    )
    return telemetry


def current_telemetry() -> Telemetry | None:
    return _installed
