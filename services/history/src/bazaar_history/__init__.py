"""Bazaar history service."""
