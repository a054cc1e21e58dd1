"""The refusals of a request under an idempotency key, each with its status.

Every state-changing POST answers with these, so their problem types are the
same whichever service refuses.
"""

from __future__ import annotations

from bazaar_common.errors import Conflict, InvalidInput, ProblemError


class IdempotencyKeyMissing(ProblemError):
    status = 400
    code = "idempotency-key-missing"
    title = "Idempotency-Key header missing"

    def __init__(self) -> None:
        super().__init__("This request needs an Idempotency-Key header.")


class IdempotencyKeyInvalid(ProblemError):
    status = 400
    code = "idempotency-key-invalid"
    title = "Idempotency-Key header invalid"

    def __init__(self) -> None:
        super().__init__("An Idempotency-Key is 1 to 255 printable ASCII characters.")


class IdempotencyKeyReused(InvalidInput):
    code = "idempotency-key-reused"
    title = "Idempotency-Key reused"

    def __init__(self) -> None:
        super().__init__("This Idempotency-Key was used with a different request; use a new key.")


class IdempotencyKeyInUse(Conflict):
    code = "idempotency-key-in-use"
    title = "Idempotency-Key in use"

    def __init__(self) -> None:
        super().__init__(
            "A request with this Idempotency-Key is still being processed; retry shortly.",
            headers={"Retry-After": "1"},
        )
