"""Bazaar payments service."""
