"""Bazaar audit service."""
