"""Where a failed task's logs are: read from its task definition, never guessed."""

from __future__ import annotations

from bazaar_delivery.task_logs import log_locations


def test_with_a_stream_prefix_the_exact_stream_is_named() -> None:
    definition = {
        "containerDefinitions": [
            {
                "name": "database-bootstrap",
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": {
                        "awslogs-group": "/bazaar/dev/orders",
                        "awslogs-stream-prefix": "db",
                    },
                },
            }
        ]
    }
    assert log_locations(definition, "0f1e2d") == [
        "logs of database-bootstrap: CloudWatch group /bazaar/dev/orders, "
        "stream db/database-bootstrap/0f1e2d"
    ]


def test_without_a_prefix_only_the_group_is_named_and_other_drivers_say_so() -> None:
    definition = {
        "containerDefinitions": [
            {
                "name": "database-bootstrap",
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": {"awslogs-group": "/bazaar/dev/orders"},
                },
            },
            {"name": "sidecar", "logConfiguration": {"logDriver": "awsfirelens"}},
            {"name": "quiet"},
        ]
    }
    assert log_locations(definition, "0f1e2d") == [
        "logs of database-bootstrap: CloudWatch group /bazaar/dev/orders, "
        "stream named by ECS (the task definition sets no awslogs-stream-prefix)",
        "logs of sidecar: not in CloudWatch (no awslogs log configuration)",
        "logs of quiet: not in CloudWatch (no awslogs log configuration)",
    ]
