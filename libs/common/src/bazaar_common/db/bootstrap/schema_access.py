"""The database, its two roles and who may do what, made idempotently as the master user.

One database per service, owned by ``<db>_owner`` (the migrations' role) and
closed to everyone else (``REVOKE ALL ... FROM PUBLIC``). ``<db>_app``, the
role the service serves as, may connect and read and write the rows of every
table the owner creates (default privileges), but may not create, alter,
drop or truncate anything: an SQL injection cannot change the schema, and
audit's append-only trigger cannot be dropped by the role it restrains.

Every statement here is safe to run again: a second run leaves the catalog
as the first left it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import asyncpg

# Row rights on every table of the owner's, now and later. No TRUNCATE,
# REFERENCES or TRIGGER.
TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
SEQUENCE_PRIVILEGES = "USAGE, SELECT"


def quoted(identifier: str) -> str:
    """A PostgreSQL identifier, quoted (the names are validated before they get here)."""
    return '"' + identifier.replace('"', '""') + '"'


@dataclass
class Changes:
    """What a run did, in words a deploy log can show (never a password)."""

    done: list[str] = field(default_factory=list)

    def record(self, what: str) -> None:
        self.done.append(what)


async def ensure_role(connection: asyncpg.Connection, role: str, changes: Changes) -> None:
    """A login role with no attribute beyond LOGIN; its password is set apart."""
    exists = await connection.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", role)
    if exists:
        return
    await connection.execute(
        f"CREATE ROLE {quoted(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
        "NOREPLICATION NOBYPASSRLS INHERIT"
    )
    changes.record(f"role {role} created")


async def ensure_membership(connection: asyncpg.Connection, role: str) -> None:
    """The master user becomes a member of the owner role.

    Needed to create a database owned by it and to set its default
    privileges; on Aurora the master user is no superuser (rds_superuser).
    """
    member = await connection.fetchval("SELECT pg_has_role(current_user, $1, 'USAGE')", role)
    if not member:
        await connection.execute(f"GRANT {quoted(role)} TO CURRENT_USER")


async def ensure_database(
    connection: asyncpg.Connection, database: str, owner: str, app: str, changes: Changes
) -> None:
    current_owner = await connection.fetchval(
        "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = $1", database
    )
    if current_owner is None:
        # Not in a transaction: CREATE DATABASE refuses to run in one.
        await connection.execute(f"CREATE DATABASE {quoted(database)} OWNER {quoted(owner)}")
        changes.record(f"database {database} created")
    elif current_owner != owner:
        await connection.execute(f"ALTER DATABASE {quoted(database)} OWNER TO {quoted(owner)}")
        changes.record(f"database {database} now owned by {owner} (was {current_owner})")
    allowed = await _database_grantees(connection, database)
    wanted = {owner, app}
    if allowed - wanted:
        await connection.execute(f"REVOKE ALL ON DATABASE {quoted(database)} FROM PUBLIC")
        changes.record(f"database {database} closed to PUBLIC")
    if app not in allowed:
        await connection.execute(f"GRANT CONNECT ON DATABASE {quoted(database)} TO {quoted(app)}")
        changes.record(f"role {app} may connect to {database}")


async def _database_grantees(connection: asyncpg.Connection, database: str) -> set[str]:
    """Who holds any right on the database ("PUBLIC" for everyone), from its ACL.

    A NULL ACL means the defaults, under which PUBLIC may connect.
    """
    rows = await connection.fetch(
        """
        SELECT CASE WHEN acl.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(acl.grantee) END
        FROM pg_database d, aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) acl
        WHERE d.datname = $1
        """,
        database,
    )
    return {row[0] for row in rows}


async def ensure_schema_access(
    connection: asyncpg.Connection, owner: str, app: str, changes: Changes
) -> None:
    """In the service's database: the app role's rights on what the owner makes.

    ``connection`` is the master user's, in that database.
    """
    granted = await connection.fetchval("SELECT has_schema_privilege($1, 'public', 'USAGE')", app)
    # 'public' as a role name is PUBLIC, i.e. everyone.
    everyone_creates = await connection.fetchval(
        "SELECT has_schema_privilege('public', 'public', 'CREATE')"
    )
    if everyone_creates:
        # Before PostgreSQL 15 everyone may create in public.
        await connection.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        changes.record("schema public closed to PUBLIC for CREATE")
    if not granted:
        await connection.execute(f"GRANT USAGE ON SCHEMA public TO {quoted(app)}")
        changes.record(f"role {app} may use schema public")
    wanted_defaults = {
        "r": set(TABLE_PRIVILEGES.split(", ")),
        "S": set(SEQUENCE_PRIVILEGES.split(", ")),
    }
    if await _default_privileges(connection, owner, app) != wanted_defaults:
        await connection.execute(
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {quoted(owner)} IN SCHEMA public "
            f"GRANT {TABLE_PRIVILEGES} ON TABLES TO {quoted(app)}"
        )
        await connection.execute(
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {quoted(owner)} IN SCHEMA public "
            f"GRANT {SEQUENCE_PRIVILEGES} ON SEQUENCES TO {quoted(app)}"
        )
        changes.record(f"role {app} gets row rights on every table {owner} creates")
    # Tables made before these defaults (a database migrated by hand) get the same.
    missing = await connection.fetchval(
        """
        SELECT count(*) FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
          AND c.relowner = $1::regrole AND NOT has_table_privilege($2, c.oid, 'SELECT')
        """,
        owner,
        app,
    )
    if missing:
        await connection.execute(
            f"GRANT {TABLE_PRIVILEGES} ON ALL TABLES IN SCHEMA public TO {quoted(app)}"
        )
        await connection.execute(
            f"GRANT {SEQUENCE_PRIVILEGES} ON ALL SEQUENCES IN SCHEMA public TO {quoted(app)}"
        )
        changes.record(f"role {app} granted row rights on {missing} existing tables")


async def _default_privileges(
    connection: asyncpg.Connection, owner: str, app: str
) -> dict[str, set[str]]:
    """The owner's default privileges for the app role in public, by object type."""
    rows = await connection.fetch(
        """
        SELECT d.defaclobjtype::text AS kind, acl.privilege_type AS privilege
        FROM pg_default_acl d
        JOIN pg_namespace n ON n.oid = d.defaclnamespace AND n.nspname = 'public'
        CROSS JOIN aclexplode(d.defaclacl) acl
        WHERE d.defaclrole = $1::regrole AND acl.grantee = $2::regrole
        """,
        owner,
        app,
    )
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(row["kind"], set()).add(row["privilege"])
    return found
