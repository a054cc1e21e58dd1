"""Bazaar's delivery tooling: what CI and deploys ask about the repository."""
