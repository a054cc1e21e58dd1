"""The one middleware every service runs: request id, access log, load shedding, body limit, 500.

They were four pure-ASGI middlewares, each wrapping ``send`` (and the body
limit ``receive``) again: a Python frame and a closure per layer and per
message, on every request. One layer does the four in the order they had,
from the outside in:

1. the request id (``request_context``) is bound for everything below and
   sent back as ``X-Request-ID``, also on the 413 and 500 answered here;
2. the access line (``access_log``) is written when the request ends, with
   the status that was sent (500 if none was);
3. a request past ``MAX_IN_FLIGHT_REQUESTS`` at once (``in_flight``) is
   refused with 503 and ``Retry-After``; while the process drains after
   SIGTERM (``draining``), every response says ``Connection: close``;
4. a body over the limit (``body_limit``) is refused with 413: at once when
   its ``Content-Length`` says so, else as soon as the streamed body crosses it;
5. an exception nothing handled (``unhandled``) is logged and answered with
   a 500 problem, if no response had started.
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bazaar_common.http.access_log import access_logging, log_request
from bazaar_common.http.body_limit import counting_receive, declared_length, refuse_body
from bazaar_common.http.draining import drain_state
from bazaar_common.http.in_flight import InFlightLimit, answer_overloaded
from bazaar_common.http.request_context import (
    REQUEST_ID_HEADER,
    bind_request_id,
    incoming_request_id,
    unbind_request_id,
)
from bazaar_common.http.unhandled import answer_internal_error, log_unhandled

_CLOSE_CONNECTION = (b"connection", b"close")


class HttpRuntimeMiddleware:
    def __init__(
        self, app: ASGIApp, *, max_body_bytes: int, access_log: bool, max_in_flight: int
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.access_log = access_log
        self.in_flight = InFlightLimit(max_in_flight)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = incoming_request_id(scope)
        id_header = (REQUEST_ID_HEADER, request_id.encode("ascii"))
        token = bind_request_id(request_id)
        status = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                message["headers"] = [*message.get("headers", ()), id_header]
                if drain_state.draining:
                    message["headers"].append(_CLOSE_CONNECTION)
            await send(message)

        admitted = self.in_flight.admit(scope)
        try:
            if not admitted:
                await answer_overloaded(scope, receive, send_with_id)
                return
            limit = self.max_body_bytes
            declared = declared_length(scope)
            if declared is not None and declared > limit:
                await refuse_body(scope, receive, send_with_id, limit)
                return
            try:
                # A streamed body that crosses the limit raises BodyOverflow
                # where the app reads it, which its HTTPException handler
                # answers with the 413 problem.
                await self.app(scope, counting_receive(receive, limit), send_with_id)
            except Exception:
                log_unhandled(scope)
                if response_started:
                    raise  # too late for a problem: the server drops the connection
                await answer_internal_error(scope, receive, send_with_id)
        finally:
            if admitted:
                self.in_flight.release()
            if self.access_log and access_logging():
                log_request(scope, status, started)
            unbind_request_id(token)
