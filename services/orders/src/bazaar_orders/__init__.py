"""Bazaar orders: orders, idempotent placement, and the orchestrator of the order saga."""
