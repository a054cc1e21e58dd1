"""Create the bus, queues, DLQs and rules of a topology; safe to run again.

Locally and in tests this runs against the moto server; in AWS, Terraform
(infra/terraform/modules/messaging) creates the same resources with the same
settings from the same catalog. tests/terraform/test_local_apply.py applies
both on moto and compares them: change one, change the other.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from bazaar_common.messaging.topology import QueueSpec, Topology

logger = logging.getLogger("bazaar.messaging")

DLQ_RETENTION_SECONDS = 14 * 24 * 3600  # SQS's maximum: time to look and redrive
QUEUE_RETENTION_SECONDS = 4 * 24 * 3600  # SQS's default
LONG_POLL_SECONDS = 20
# EventBridge delivers entries of at most 256 KB, so nothing larger arrives;
# said explicitly because SQS's own default has changed over time.
MAX_MESSAGE_BYTES = 262_144


async def provision(events: Any, sqs: Any, topology: Topology) -> dict[str, str]:
    """Make sure every resource exists as specified; returns queue URLs by service."""
    bus_arn = await _ensure_bus(events, topology.bus_name)
    urls = {}
    for spec in topology.queues:
        urls[spec.service] = await _ensure_queue(events, sqs, topology.bus_name, bus_arn, spec)
    return urls


async def _ensure_bus(events: Any, name: str) -> str:
    try:
        created = await events.create_event_bus(Name=name)
        logger.info("created event bus", extra={"bus": name})
        return str(created["EventBusArn"])
    except events.exceptions.ResourceAlreadyExistsException:
        described = await events.describe_event_bus(Name=name)
        return str(described["Arn"])


async def _queue_arn(sqs: Any, url: str) -> str:
    attributes = await sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    return str(attributes["Attributes"]["QueueArn"])


async def _ensure_queue(events: Any, sqs: Any, bus_name: str, bus_arn: str, spec: QueueSpec) -> str:
    dlq_url = (await sqs.create_queue(QueueName=spec.dlq_name))["QueueUrl"]
    dlq_arn = await _queue_arn(sqs, dlq_url)
    url = (await sqs.create_queue(QueueName=spec.queue_name))["QueueUrl"]
    queue_arn = await _queue_arn(sqs, url)
    await sqs.set_queue_attributes(
        QueueUrl=dlq_url,
        Attributes={
            "MessageRetentionPeriod": str(DLQ_RETENTION_SECONDS),
            "MaximumMessageSize": str(MAX_MESSAGE_BYTES),
            "SqsManagedSseEnabled": "true",
            # No RedriveAllowPolicy, unlike Terraform in AWS: moto does not keep it.
        },
    )
    # Of services, only this bus's rule needs the queue policy. The relays of
    # point-to-point senders are principals of this account: their task role's
    # identity policy (Terraform's modules/service) grants sqs:SendMessage to
    # exactly the queues they send to, and within one account either policy
    # allowing is enough. moto enforces neither.
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "FromEventBridgeRule",
                "Effect": "Allow",
                "Principal": {"Service": "events.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": queue_arn,
                "Condition": {"ArnLike": {"aws:SourceArn": _rule_arn(bus_arn, spec.rule_name)}},
            }
        ],
    }
    await sqs.set_queue_attributes(
        QueueUrl=url,
        Attributes={
            "VisibilityTimeout": str(spec.visibility_timeout_seconds),
            "MessageRetentionPeriod": str(QUEUE_RETENTION_SECONDS),
            "MaximumMessageSize": str(MAX_MESSAGE_BYTES),
            "ReceiveMessageWaitTimeSeconds": str(LONG_POLL_SECONDS),
            "SqsManagedSseEnabled": "true",
            "RedrivePolicy": json.dumps(
                {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": spec.max_receive_count}
            ),
            "Policy": json.dumps(policy),
        },
    )
    await events.put_rule(
        Name=spec.rule_name,
        EventBusName=bus_name,
        Description=f"Events {spec.service} consumes, to its queue",
        EventPattern=json.dumps(spec.event_pattern),
        State="ENABLED",
    )
    await events.put_targets(
        Rule=spec.rule_name,
        EventBusName=bus_name,
        Targets=[{"Id": spec.queue_name, "Arn": queue_arn}],
    )
    logger.info("queue ready", extra={"queue": spec.queue_name, "types": spec.detail_types})
    return str(url)


def _rule_arn(bus_arn: str, rule_name: str) -> str:
    # arn:aws:events:<region>:<account>:event-bus/<bus> -> .../rule/<bus>/<rule>
    prefix, _, bus = bus_arn.partition(":event-bus/")
    return f"{prefix}:rule/{bus}/{rule_name}"
