"""Named moments of placement and of the saga, where something outside may step in.

The use cases only say where they are. Nothing listens in production; the
crash-recovery tests make the process kill itself at one of them
(``bazaar_orders.crash_points``, installed by ``create_app`` from settings),
so no route, handler or use case carries test code.
"""

from __future__ import annotations

from collections.abc import Callable

ORDER_PLACED = "order placed"
"""The placement transaction committed; the response is not sent yet."""

Listener = Callable[[str], None]

# Process-wide on purpose: the consumer's handlers are module-level functions
# that see no app, and the one listener there is kills the whole process.
_listener: Listener | None = None


def reply_applied(reply_type: str) -> str:
    """A reply's changes are written in the consumer's transaction, not committed yet."""
    return f"{reply_type} applied"


def listen(listener: Listener | None) -> None:
    """Set (or, with None, clear) what is called at every checkpoint."""
    global _listener
    _listener = listener


def passed(checkpoint: str) -> None:
    if _listener is not None:
        _listener(checkpoint)
