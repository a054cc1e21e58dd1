"""Bazaar shipping service."""
