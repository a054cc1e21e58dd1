"""Test support for services: a real Postgres, real tokens, an app client.

Load it in a conftest with ``pytest_plugins = ["bazaar_common.testing.plugin"]``.
"""
