"""make bench: the system's speed as ratios to a bare FastAPI app measured in the same run."""
