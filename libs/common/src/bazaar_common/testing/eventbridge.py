"""What EventBridge writes to a consumer's SQS queue, for tests that send it directly."""

from __future__ import annotations

import json
from uuid import uuid4

from bazaar_common.messaging.envelope import Envelope
from bazaar_common.testing.moto import REGION


def sqs_body(envelope: Envelope) -> str:
    """The message body a rule's SQS target gets for an envelope put with PutEvents.

    The envelope is the event's ``detail``, its type the ``detail-type``.
    """
    return json.dumps(
        {
            "version": "0",
            "id": str(uuid4()),
            "detail-type": envelope.type,
            "source": envelope.source,
            "account": "123456789012",
            "time": envelope.time.isoformat(),
            "region": REGION,
            "resources": [],
            "detail": envelope.model_dump(mode="json"),
        }
    )
