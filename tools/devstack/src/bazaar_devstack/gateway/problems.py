"""The gateway's own error responses: RFC 9457 problem+json with ALB's status codes.

Same shape as the services' errors (``type``, ``title``, ``status``,
``detail``, ``request_id``), so a client handles one format whether the
gateway or a service refused it. Codes and titles follow the services':
the domain classes where one exists, else the HTTP status phrase, as the
services' framework errors do.
"""

from __future__ import annotations

import http
import json
from dataclasses import dataclass

from bazaar_common.errors import PROBLEM_TYPE_BASE, NotFound, ServiceUnavailable
from bazaar_devstack.gateway.rate_limit import RateLimit

# nginx fills it in per response: its own request id, also in the access log.
REQUEST_ID_VARIABLE = "$request_id"
# As the services' own ServiceUnavailable says.
UNAVAILABLE_RETRY_AFTER_SECONDS = 5


@dataclass(frozen=True)
class Problem:
    status: int
    code: str
    title: str
    detail: str
    # Sent as the Retry-After header when set.
    retry_after_seconds: int | None = None

    @classmethod
    def for_status(
        cls, status: int, detail: str, retry_after_seconds: int | None = None
    ) -> Problem:
        phrase = http.HTTPStatus(status).phrase
        return cls(status, phrase.lower().replace(" ", "-"), phrase, detail, retry_after_seconds)

    def body(self) -> str:
        """The JSON body, safe to put in a single-quoted nginx string."""
        document = {
            "type": PROBLEM_TYPE_BASE + self.code,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "request_id": REQUEST_ID_VARIABLE,
        }
        text = json.dumps(document, separators=(",", ":"))
        # Our own constant texts: nothing nginx would unescape or interpolate.
        if "'" in text or "\\" in text or text.count("$") != 1:
            raise ValueError(f"problem text not safe for nginx: {text}")
        return text


def unmatched_path() -> Problem:
    """ALB's default action: a fixed response for paths no listener rule matches."""
    return Problem(404, NotFound.code, NotFound.title, "No route matches this path.")


def no_healthy_target(service: str) -> Problem:
    return _unavailable(f"{service} has no healthy target.")


def no_registered_target(service: str) -> Problem:
    return _unavailable(f"{service} has no target.")


def _unavailable(detail: str) -> Problem:
    return Problem(
        503,
        ServiceUnavailable.code,
        ServiceUnavailable.title,
        detail,
        UNAVAILABLE_RETRY_AFTER_SECONDS,
    )


def too_many_requests(limit: RateLimit) -> Problem:
    """The WAF rate rule's answer, with the detail the alb module's WAF body gives."""
    return Problem.for_status(
        429,
        f"More than {limit.requests} requests from this address in {limit.window_seconds} seconds.",
        limit.retry_after_seconds,
    )


def bad_gateway() -> Problem:
    return Problem.for_status(
        502, "The target refused or reset the connection, or sent an invalid response."
    )


def gateway_timeout() -> Problem:
    return Problem.for_status(504, "The target did not accept the connection or answer in time.")


def nginx_refusals(max_body_bytes: int) -> list[Problem]:
    """Errors nginx itself raises while reading a request (ALB answers these too)."""
    return [
        Problem.for_status(400, "The request is malformed or its headers are too large."),
        Problem.for_status(413, f"The request body exceeds the limit of {max_body_bytes} bytes."),
        Problem.for_status(414, "The request line is too long."),
        Problem.for_status(500, "The gateway failed to handle the request."),
    ]
