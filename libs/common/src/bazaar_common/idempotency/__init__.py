"""Idempotency keys on every state-changing POST, one implementation for every service.

``rules`` decides (pure), ``table`` and ``repository`` store, ``claim``,
``once`` and ``purge`` run the steps in a unit of work, ``http`` is what a
route takes and answers. See ADR 0019 (docs/adr).
"""
