"""A consumer's dead-letter queue: ``dead_letters`` reads and redrives it, ``cli`` is the command.

The command line imports the library, never the reverse; run it as
``python -m bazaar_common.messaging.dlq``.
"""
