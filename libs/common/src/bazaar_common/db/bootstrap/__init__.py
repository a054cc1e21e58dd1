"""The database bootstrap: what a service's database needs before its tasks can start."""
