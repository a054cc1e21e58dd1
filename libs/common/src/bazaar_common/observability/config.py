"""What the standard ``OTEL_*`` variables ask for, read once and checked.

Only the variables that decide *what* is set up are read here; the SDK's
exporters and processors read their own tuning (``OTEL_EXPORTER_OTLP_HEADERS``,
``_TIMEOUT``, ``OTEL_BSP_*``, ``OTEL_METRIC_EXPORT_INTERVAL``) themselves.

Where this differs from the SDK's defaults, on purpose:

- With no ``OTEL_TRACES_EXPORTER`` and no OTLP endpoint there is no exporter
  (the SDK would default to ``otlp`` to localhost and log an error for every
  batch): a laptop without a collector runs quiet, and context still flows.
- ``OTEL_SDK_DISABLED=true`` turns the SDK off (nothing recorded or
  exported); trace context is the API's and still propagates.
- Client spans (database, HTTP, AWS calls) with no parent are never
  sampled (``sampling.SkipOrphanClientSpans``).
- The default sampler is ``parentbased_traceidratio`` (the SDK's is
  ``parentbased_always_on``) with ratio ``OTEL_TRACES_SAMPLER_ARG``, 1.0 when
  unset: every trace locally; set e.g. 0.1 in production.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import unquote

logger = logging.getLogger("bazaar.observability")

DEFAULT_SAMPLER = "parentbased_traceidratio"
SAMPLERS = frozenset(
    {
        "always_on",
        "always_off",
        "traceidratio",
        "parentbased_always_on",
        "parentbased_always_off",
        "parentbased_traceidratio",
    }
)


class Exporter(StrEnum):
    NONE = "none"
    CONSOLE = "console"  # to stderr: stdout carries the JSON logs
    OTLP = "otlp"  # OTLP over HTTP/protobuf


@dataclass(frozen=True)
class TelemetryConfig:
    service_name: str
    resource_attributes: dict[str, str] = field(default_factory=dict)
    disabled: bool = False
    traces: Exporter = Exporter.NONE
    metrics: Exporter = Exporter.NONE
    traces_endpoint: str | None = None
    metrics_endpoint: str | None = None
    sampler: str = DEFAULT_SAMPLER
    sampler_ratio: float = 1.0

    @property
    def tracing(self) -> bool:
        """Whether spans are recorded (and exported) in this process."""
        return not self.disabled and self.traces is not Exporter.NONE

    @classmethod
    def from_env(cls, service: str, environ: Mapping[str, str]) -> TelemetryConfig:
        disabled = environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true"
        base = environ.get("OTEL_EXPORTER_OTLP_ENDPOINT", "").strip().rstrip("/")
        traces_endpoint = _signal_endpoint(environ, "TRACES", base, "/v1/traces")
        metrics_endpoint = _signal_endpoint(environ, "METRICS", base, "/v1/metrics")
        protocol = environ.get("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf").strip()
        if protocol != "http/protobuf":
            logger.warning(
                "OTEL_EXPORTER_OTLP_PROTOCOL=%s unsupported; using http/protobuf", protocol
            )
        resource = _resource_attributes(environ.get("OTEL_RESOURCE_ATTRIBUTES", ""))
        # The spec's precedence: OTEL_SERVICE_NAME, then the attributes, then ours.
        name = (
            environ.get("OTEL_SERVICE_NAME", "").strip() or resource.get("service.name") or service
        )
        resource["service.name"] = name
        sampler, ratio = _sampler(environ)
        return cls(
            service_name=name,
            resource_attributes=resource,
            disabled=disabled,
            traces=_exporter(environ, "OTEL_TRACES_EXPORTER", traces_endpoint),
            metrics=_exporter(environ, "OTEL_METRICS_EXPORTER", metrics_endpoint),
            traces_endpoint=traces_endpoint,
            metrics_endpoint=metrics_endpoint,
            sampler=sampler,
            sampler_ratio=ratio,
        )


def _signal_endpoint(environ: Mapping[str, str], signal: str, base: str, path: str) -> str | None:
    # The per-signal variable is used as is; the general one gets the path (the spec's rule).
    specific = environ.get(f"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT", "").strip()
    if specific:
        return specific
    return f"{base}{path}" if base else None


def _exporter(environ: Mapping[str, str], variable: str, endpoint: str | None) -> Exporter:
    raw = environ.get(variable, "").strip().lower()
    if not raw:
        return Exporter.OTLP if endpoint else Exporter.NONE
    # A list is allowed by the spec; one exporter is all a service needs.
    first = raw.split(",")[0].strip()
    try:
        return Exporter(first)
    except ValueError:
        logger.warning("%s=%s is not one of otlp, console, none; using none", variable, raw)
        return Exporter.NONE


def _sampler(environ: Mapping[str, str]) -> tuple[str, float]:
    name = environ.get("OTEL_TRACES_SAMPLER", "").strip().lower() or DEFAULT_SAMPLER
    if name not in SAMPLERS:
        logger.warning("OTEL_TRACES_SAMPLER=%s unknown; using %s", name, DEFAULT_SAMPLER)
        name = DEFAULT_SAMPLER
    raw = environ.get("OTEL_TRACES_SAMPLER_ARG", "").strip()
    ratio = 1.0
    if raw:
        try:
            ratio = float(raw)
        except ValueError:
            ratio = -1.0
        if not 0.0 <= ratio <= 1.0:
            logger.warning("OTEL_TRACES_SAMPLER_ARG=%s is not within 0..1; using 1.0", raw)
            ratio = 1.0
    return name, ratio


def _resource_attributes(raw: str) -> dict[str, str]:
    """``key1=value1,key2=value2`` with percent-encoded values; bad pairs are skipped."""
    attributes: dict[str, str] = {}
    for pair in raw.split(","):
        key, sep, value = pair.partition("=")
        if sep and key.strip():
            attributes[key.strip()] = unquote(value.strip())
    return attributes
