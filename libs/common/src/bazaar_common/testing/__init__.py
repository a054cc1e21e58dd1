"""Test support for services: a real Postgres, real tokens, an app client.

The fixtures in :mod:`bazaar_common.testing.plugin` load by themselves in any
environment where bazaar-common is installed (a ``pytest11`` entry point).
"""
