"""OpenTelemetry for every service: traces, metrics and log correlation from ``OTEL_*``.

The app factory calls ``configure_observability`` once per process and
instruments the app, its engine and its AWS clients; services add
``http_client_trace_configs`` to their aiohttp sessions and report saga ends
with ``record_saga_outcome``. See ``config`` for the variables and defaults.
"""

from bazaar_common.observability.config import Exporter, TelemetryConfig
from bazaar_common.observability.instrument import (
    fastapi_telemetry,
    http_client_trace_configs,
    instrument_app,
    instrument_aws_client,
    instrument_engine,
)
from bazaar_common.observability.metrics import record_saga_outcome
from bazaar_common.observability.setup import (
    Telemetry,
    build_telemetry,
    configure_observability,
    current_telemetry,
    install,
)

__all__ = [
    "Exporter",
    "Telemetry",
    "TelemetryConfig",
    "build_telemetry",
    "configure_observability",
    "current_telemetry",
    "fastapi_telemetry",
    "http_client_trace_configs",
    "install",
    "instrument_app",
    "instrument_aws_client",
    "instrument_engine",
    "record_saga_outcome",
]
