"""Bazaar orders service."""
