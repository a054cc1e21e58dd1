"""Events between services: envelope, outbox, relay, consumers, topology."""
