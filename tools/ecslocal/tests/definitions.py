"""Task definitions as DescribeTaskDefinition returns them (the shape moto gives)."""

from __future__ import annotations

from typing import Any

SCRATCH = "/tmp"  # noqa: S108 - a path inside the container, as Fargate mounts it
IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/bazaar-local/orders:local"
DATABASE_URL_ARN = (
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x/orders/database-url-AbCdEf"
)


def app_container(**overrides: Any) -> dict[str, Any]:
    container: dict[str, Any] = {
        "name": "orders",
        "image": IMAGE,
        "cpu": 0,
        "portMappings": [{"containerPort": 8002, "hostPort": 8002, "protocol": "tcp"}],
        "essential": True,
        "environment": [
            {"name": "PORT", "value": "8002"},
            {"name": "ENVIRONMENT", "value": "local"},
        ],
        "mountPoints": [{"sourceVolume": "tmp", "containerPath": SCRATCH, "readOnly": False}],
        "volumesFrom": [],
        "linuxParameters": {"capabilities": {"drop": ["ALL"]}, "initProcessEnabled": True},
        "secrets": [
            {
                "name": "DATABASE_URL",
                "valueFrom": DATABASE_URL_ARN,
            }
        ],
        "dependsOn": [{"containerName": "migrations", "condition": "SUCCESS"}],
        "user": "10001:10001",
        "readonlyRootFilesystem": True,
        "stopTimeout": 30,
        "healthCheck": {
            "command": ["CMD", "python", "-c", "print('ok')"],
            "interval": 10,
            "timeout": 3,
            "retries": 3,
            "startPeriod": 20,
        },
        "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/x"}},
    }
    container.update(overrides)
    return container


def migrations_container() -> dict[str, Any]:
    return {
        "name": "migrations",
        "image": IMAGE,
        "essential": False,
        "command": ["python", "-m", "bazaar_common.db.migrate", "--package", "bazaar_orders"],
        "environment": [],
        "portMappings": [],
        "mountPoints": [],
        "volumesFrom": [],
    }


def task_document(*containers: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "family": "bazaar-local-orders",
        "revision": 3,
        "networkMode": "awsvpc",
        "memory": "512",
        "volumes": [{"name": "tmp"}],
        "containerDefinitions": list(containers) or [app_container(), migrations_container()],
    }
    document.update(overrides)
    return document
