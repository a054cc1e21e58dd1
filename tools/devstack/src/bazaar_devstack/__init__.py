"""Bazaar's local runtime: every service, its dependencies and an ALB-like gateway on one machine.

A developer tool, never deployed: in AWS, Terraform provisions the real
counterparts (the ALB, Cognito, EventBridge and SQS).
"""
