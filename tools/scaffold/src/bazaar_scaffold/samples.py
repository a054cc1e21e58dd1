"""Valid data of each event type but its subject, for the generated consumer tests.

The contracts say what is valid, not what is typical, so the example values
are kept here; a type added later without one gets what ``sample_of`` can
make up (an owner for ``customer_id``, None where a field allows it), or
the generator says which field to add an example for.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import ValidationError

from bazaar_common.messaging.events import Event
from bazaar_scaffold.refusal import Refusal

_LINES = [{"sku": "MUG-1", "quantity": 2}]
_PAYMENT_ID = "0193a0c4-0000-7000-8000-000000000001"
KNOWN: dict[str, dict[str, Any]] = {
    "OrderPlaced": {
        "customer_id": "customer-1",
        "lines": [{"sku": "MUG-1", "quantity": 2, "unit_price_minor": 500}],
        "total_minor": 1000,
        "currency": "EUR",
    },
    "OrderConfirmed": {"customer_id": "customer-1", "total_minor": 1000, "currency": "EUR"},
    "OrderCancelled": {"customer_id": "customer-1", "reason": "out-of-stock"},
    "ReserveStock": {"lines": _LINES},
    "ReleaseStock": {},
    "CommitStock": {},
    "CapturePayment": {
        "customer_id": "customer-1",
        "amount_minor": 1000,
        "currency": "EUR",
        "card_token": "tok_visa",
    },
    "RefundPayment": {},
    "StockReserved": {"lines": _LINES},
    "StockRejected": {
        "reason": "insufficient-stock",
        "shortages": [{"sku": "MUG-1", "requested": 2, "available": 1}],
    },
    "StockReleased": {"lines": _LINES},
    "StockCommitted": {},
    "PaymentCaptured": {"payment_id": _PAYMENT_ID, "amount_minor": 1000, "currency": "EUR"},
    "PaymentDeclined": {"reason": "card-declined"},
    "PaymentRefunded": {"payment_id": _PAYMENT_ID, "amount_minor": 1000, "currency": "EUR"},
}
_SUBJECT = str(UUID(int=1))


def sample_of(event_class: type[Event]) -> dict[str, Any]:
    """Data that ``event_class`` accepts once its subject field is added."""
    data = KNOWN.get(event_class.event_type)
    if data is None:
        data = {}
        for field_name, field in event_class.model_fields.items():
            if field_name == event_class.subject_field or not field.is_required():
                continue
            if field_name == "customer_id":
                data[field_name] = "customer-1"
            else:
                data[field_name] = None  # allowed only where the field is optional
    try:
        event_class.model_validate({**data, event_class.subject_field: _SUBJECT})
    except ValidationError as error:
        fields = ", ".join(".".join(map(str, e["loc"])) for e in error.errors())
        raise Refusal(
            f"no example data for {event_class.event_type} ({fields}): "
            "add one to tools/scaffold/src/bazaar_scaffold/samples.py"
        ) from None
    return data
