"""One message off a consumer's queue, and the event EventBridge wrote into its body."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import Event, EventRegistry, MalformedEvent, PoisonEvent


@dataclass(frozen=True)
class Delivery:
    """An SQS message as received: the receipt handle is what deletes it or hides it longer."""

    message_id: str
    receipt_handle: str
    body: str
    receive_count: int

    @classmethod
    def of(cls, message: Mapping[str, Any]) -> Delivery:
        attributes = message.get("Attributes") or {}
        return cls(
            message_id=str(message["MessageId"]),
            receipt_handle=str(message["ReceiptHandle"]),
            body=str(message.get("Body", "")),
            receive_count=int(attributes.get("ApproximateReceiveCount", 0)),
        )


def parse_delivery(body: str, registry: EventRegistry) -> tuple[Envelope, Event]:
    """The envelope and typed event in an SQS body that EventBridge wrote.

    Raises ``PoisonEvent`` (with the reason) for anything that is not one.
    """
    try:
        document = json.loads(body)
    except ValueError:
        raise PoisonEvent("body is not JSON") from None
    if not isinstance(document, dict) or not isinstance(document.get("detail"), dict):
        raise PoisonEvent("not an EventBridge event: no detail object")
    try:
        envelope = Envelope.model_validate(document["detail"])
    except ValidationError as error:
        fields = ", ".join(".".join(map(str, e["loc"])) or "detail" for e in error.errors())
        raise MalformedEvent(f"bad envelope: {fields}") from None
    if document.get("detail-type") != envelope.type:
        raise MalformedEvent(
            f"detail-type {document.get('detail-type')!r} is not the envelope type {envelope.type}"
        )
    return envelope, registry.parse(envelope)
