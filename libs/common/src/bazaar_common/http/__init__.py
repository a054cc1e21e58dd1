"""HTTP plumbing shared by every service: problem responses and middleware."""
