"""Bazaar's monthly cost estimate per environment (README)."""
