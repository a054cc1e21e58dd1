"""HTTP plumbing shared by every service.

Problem responses and how routes document them, keyset cursors, and middleware.
"""
