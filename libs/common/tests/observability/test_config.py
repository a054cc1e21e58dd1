"""The OTEL_* variables decide what is set up; the SDK's objects prove it."""

from __future__ import annotations

import logging
import time

import pytest
from opentelemetry.context import Context
from opentelemetry.sdk.trace import TracerProvider as SdkTracerProvider
from opentelemetry.sdk.trace.sampling import Decision
from opentelemetry.trace import (
    NonRecordingSpan,
    SpanContext,
    SpanKind,
    TraceFlags,
    set_span_in_context,
)

from bazaar_common.observability import Exporter, TelemetryConfig, build_telemetry
from bazaar_common.observability.receiver import OtlpReceiver
from bazaar_common.observability.sampling import SkipOrphanClientSpans, configured_sampler

OTLP_SPAN_EXPORTER_LOGGER = "opentelemetry.exporter.otlp.proto.http.trace_exporter"


def config(**environ: str) -> TelemetryConfig:
    return TelemetryConfig.from_env("orders", environ)


def test_nothing_set_means_no_exporter_and_ratio_sampling_of_everything():
    settings = config()
    assert (settings.traces, settings.metrics) == (Exporter.NONE, Exporter.NONE)
    assert not settings.tracing
    assert (settings.sampler, settings.sampler_ratio) == ("parentbased_traceidratio", 1.0)
    assert settings.service_name == "orders"


def test_an_endpoint_alone_means_otlp_for_both_signals_with_the_signal_paths():
    settings = config(OTEL_EXPORTER_OTLP_ENDPOINT="http://collector:4318/")
    assert (settings.traces, settings.metrics) == (Exporter.OTLP, Exporter.OTLP)
    assert settings.traces_endpoint == "http://collector:4318/v1/traces"
    assert settings.metrics_endpoint == "http://collector:4318/v1/metrics"


def test_a_signal_endpoint_is_used_as_is_and_wins():
    settings = config(
        OTEL_EXPORTER_OTLP_ENDPOINT="http://collector:4318",
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="http://traces:9999/custom",
    )
    assert settings.traces_endpoint == "http://traces:9999/custom"
    assert settings.metrics_endpoint == "http://collector:4318/v1/metrics"


@pytest.mark.parametrize(
    ("environ", "traces", "metrics"),
    [
        ({"OTEL_TRACES_EXPORTER": "console"}, Exporter.CONSOLE, Exporter.NONE),
        ({"OTEL_TRACES_EXPORTER": "otlp"}, Exporter.OTLP, Exporter.NONE),
        (
            {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_TRACES_EXPORTER": "none"},
            Exporter.NONE,
            Exporter.OTLP,
        ),
        ({"OTEL_TRACES_EXPORTER": "zipkin"}, Exporter.NONE, Exporter.NONE),
        ({"OTEL_METRICS_EXPORTER": "Console, otlp"}, Exporter.NONE, Exporter.CONSOLE),
    ],
)
def test_the_exporter_variables_say_which_exporter(environ, traces, metrics):
    settings = config(**environ)
    assert (settings.traces, settings.metrics) == (traces, metrics)


def test_sdk_disabled_turns_everything_off_even_with_an_exporter():
    settings = config(OTEL_SDK_DISABLED="true", OTEL_TRACES_EXPORTER="console")
    assert settings.disabled
    assert not settings.tracing
    assert not build_telemetry(settings).tracing


@pytest.mark.parametrize(
    ("environ", "sampler", "ratio"),
    [
        ({"OTEL_TRACES_SAMPLER": "always_off"}, "always_off", 1.0),
        ({"OTEL_TRACES_SAMPLER_ARG": "0.25"}, "parentbased_traceidratio", 0.25),
        ({"OTEL_TRACES_SAMPLER": "nonsense"}, "parentbased_traceidratio", 1.0),
        ({"OTEL_TRACES_SAMPLER_ARG": "2"}, "parentbased_traceidratio", 1.0),
        ({"OTEL_TRACES_SAMPLER_ARG": "half"}, "parentbased_traceidratio", 1.0),
    ],
)
def test_sampler_and_ratio(environ, sampler, ratio):
    settings = config(**environ)
    assert (settings.sampler, settings.sampler_ratio) == (sampler, ratio)


def test_service_name_precedence_and_resource_attributes():
    settings = config(
        OTEL_RESOURCE_ATTRIBUTES="service.name=from-attrs,deployment.environment=dev%20box,bad",
    )
    assert settings.service_name == "from-attrs"
    assert settings.resource_attributes["deployment.environment"] == "dev box"
    named = config(OTEL_SERVICE_NAME="named", OTEL_RESOURCE_ATTRIBUTES="service.name=x")
    assert named.service_name == named.resource_attributes["service.name"] == "named"


def _parent(sampled: bool) -> Context:
    flags = TraceFlags(TraceFlags.SAMPLED if sampled else TraceFlags.DEFAULT)
    span = NonRecordingSpan(SpanContext(0xABC, 0xDEF, is_remote=True, trace_flags=flags))
    return set_span_in_context(span)


def test_parent_based_ratio_follows_the_caller_and_samples_roots_by_ratio():
    none_of_roots = SkipOrphanClientSpans(configured_sampler("parentbased_traceidratio", 0.0))
    assert none_of_roots.should_sample(None, 123, "root").decision is Decision.DROP
    sampled = none_of_roots.should_sample(_parent(True), 0xABC, "child")
    assert sampled.decision is Decision.RECORD_AND_SAMPLE
    every_root = SkipOrphanClientSpans(configured_sampler("parentbased_traceidratio", 1.0))
    assert every_root.should_sample(_parent(False), 0xABC, "child").decision is Decision.DROP
    assert every_root.should_sample(None, 123, "root").decision is Decision.RECORD_AND_SAMPLE


def test_client_calls_outside_any_trace_are_dropped_inside_one_kept():
    sampler = SkipOrphanClientSpans(configured_sampler("always_on", 1.0))
    assert sampler.should_sample(None, 1, "SELECT", SpanKind.CLIENT).decision is Decision.DROP
    inside = sampler.should_sample(_parent(True), 0xABC, "SELECT", SpanKind.CLIENT)
    assert inside.decision is Decision.RECORD_AND_SAMPLE


def test_console_writes_finished_spans_to_stderr(capsys):
    telemetry = build_telemetry(config(OTEL_TRACES_EXPORTER="console"))
    assert isinstance(telemetry.tracer_provider, SdkTracerProvider)
    with telemetry.tracer_provider.get_tracer("test").start_as_current_span("console-span"):
        pass
    telemetry.shutdown()  # flushes the batch
    captured = capsys.readouterr()
    assert '"name": "console-span"' in captured.err
    assert '"service.name": "orders"' in captured.err
    assert "console-span" not in captured.out  # stdout is for the JSON logs


def test_otlp_exports_to_the_configured_endpoint():
    receiver = OtlpReceiver().start()
    try:
        telemetry = build_telemetry(
            config(
                OTEL_EXPORTER_OTLP_ENDPOINT=receiver.endpoint,
                OTEL_RESOURCE_ATTRIBUTES="deployment.environment=test",
            )
        )
        with telemetry.tracer_provider.get_tracer("test").start_as_current_span("shipped"):
            pass
        telemetry.shutdown()
    finally:
        receiver.stop()
    [span] = receiver.spans()
    assert (span.service, span.name) == ("orders", "shipped")


def test_a_collector_that_is_down_costs_spans_not_the_service(monkeypatch, caplog):
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "1")
    receiver = OtlpReceiver()
    endpoint = receiver.endpoint
    receiver.stop()  # nothing listens there now
    telemetry = build_telemetry(config(OTEL_EXPORTER_OTLP_ENDPOINT=endpoint))
    assert isinstance(telemetry.tracer_provider, SdkTracerProvider)
    tracer = telemetry.tracer_provider.get_tracer("test")
    with caplog.at_level(logging.ERROR, logger=OTLP_SPAN_EXPORTER_LOGGER):
        with tracer.start_as_current_span("lost"):
            pass
        telemetry.tracer_provider.force_flush()
    # The batch is given up, and said so, within the export timeout.
    assert any("Failed to export spans batch" in r.getMessage() for r in caplog.records)
    with tracer.start_as_current_span("after") as after:
        assert after.is_recording(), "tracing goes on after a failed export"
    started = time.monotonic()
    telemetry.shutdown()  # the last export fails too; nothing is raised
    assert time.monotonic() - started < 5, "a dead collector must not hold up a stop"
