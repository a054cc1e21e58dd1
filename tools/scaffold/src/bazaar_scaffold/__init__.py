"""``make new-service``: a new domain service in the shape of ADR 0016, from a template."""
