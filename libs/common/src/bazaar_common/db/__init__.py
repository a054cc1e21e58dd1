"""Database access: engine, unit of work, migrations, readiness."""
