"""Versioned schema migrations: `migrations/NNN_name.sql`, applied in order, once each.

Applied by `dukcapil migrate` as the owning role (docs/deployment.md); a laptop's
`dukcapil run`, whose login owns the tables, applies them itself (a new database
needs no setup).
An applied file must never change: its checksum is recorded and verified, so
a schema change is always a new numbered file.
"""

from __future__ import annotations

import hashlib
import re

import psycopg2
import psycopg2.errors
import psycopg2.extensions
from psycopg2 import sql as pgsql

from pipelines.sql import migration_files, sql
from pipelines.warehouse.connection import connect

_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
# Any constant works; it only has to be the same for every migrating process.
_ADVISORY_LOCK = 360_000_001


class MigrationError(RuntimeError):
    pass


def available() -> list[tuple[int, str, str]]:
    """(version, file name, SQL text) of every migration shipped with the package."""
    found = []
    for name, text in migration_files("pipelines.warehouse").items():
        match = _NAME.match(name)
        if match:
            found.append((int(match.group(1)), name, text))
    return sorted(found)


def migrate(url: str | None = None) -> list[str]:
    """Apply pending migrations; return the names applied. Safe to call
    concurrently, also on two databases of one server: roles are cluster-wide,
    and when another database's migration created one between a migration's
    check and its CREATE ROLE, the second try finds it."""
    try:
        return _migrate(url)
    except (psycopg2.errors.DuplicateObject, psycopg2.errors.UniqueViolation):
        return _migrate(url)


def _migrate(url: str | None) -> list[str]:
    """Only the tables' owner can (`dukcapil migrate`, WAREHOUSE_OWNER_URL); for any
    other login, an up-to-date schema is a no-op and a pending one a clear error."""
    applied_now = []
    with connect(url) as conn, conn.cursor() as cur:
        cur.execute(sql("pipelines.warehouse", "migration_lock"), {"lock": _ADVISORY_LOCK})
        cur.execute(sql("pipelines.warehouse", "migration_log_exists"))
        done = {}
        if cur.fetchone()[0]:
            cur.execute(sql("pipelines.warehouse", "migrations_applied"))
            done = {version: (name, digest) for version, name, digest in cur.fetchall()}
        pending = []
        for version, name, text in available():
            digest = hashlib.sha256(text.encode()).hexdigest()
            if version not in done:
                pending.append((version, name, text, digest))
            elif done[version][1] != digest:
                raise MigrationError(f"Migration {name} changed after it was applied; add a new migration instead.")
        if not pending:
            return []
        try:
            cur.execute(sql("pipelines.warehouse", "migration_schema"))
            cur.execute(sql("pipelines.warehouse", "migration_log"))
            for version, name, text, digest in pending:
                cur.execute(text)
                cur.execute(sql("pipelines.warehouse", "migration_applied"),
                            {"version": version, "name": name, "sha256": digest})
                applied_now.append(name)
        except psycopg2.errors.InsufficientPrivilege:
            raise MigrationError(
                f"{len(pending)} migration(s) pending ({pending[0][1]} first) and this login may not apply them: "
                "run `dukcapil migrate` with the owner's login (WAREHOUSE_OWNER_URL).") from None
    return applied_now


def ensure_nightly_login(owner: str, nightly: str) -> str | None:
    """Make the login of URL `nightly` a member of etl_writer with the URL's
    password, creating it when missing (the owner's step, docs/deployment.md).
    Nothing when both URLs name one login (a laptop). Returns the login's name."""
    params, owner_user = psycopg2.extensions.parse_dsn(nightly), psycopg2.extensions.parse_dsn(owner).get("user")
    name = params.get("user")
    if not name or name == owner_user:
        return None
    password = params.get("password")
    with connect(owner, autocommit=True) as conn, conn.cursor() as cur:
        role = pgsql.Identifier(name)
        try:
            cur.execute(pgsql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE").format(role))
        except psycopg2.errors.DuplicateObject:  # roles are cluster-wide: made before, or just now by another
            pass
        cur.execute(pgsql.SQL("ALTER ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %s").format(role),
                    (password,))
        cur.execute(pgsql.SQL("GRANT etl_writer TO {}").format(role))
    return name
