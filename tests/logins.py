"""Real logins for the project's group roles, as production has them: a test
connects as a member of a role, never through SET ROLE from a superuser."""

from __future__ import annotations

import contextlib
import uuid

import psycopg2
import psycopg2.extensions

from pipelines.warehouse.connection import server_url


def member_login(group: str, url: str) -> str:
    """A URL of `url`'s database for a new LOGIN role, neither superuser nor owner
    of anything, that is a member of `group`. Roles are cluster-wide and test
    sessions run in parallel: each login is unique, so creating it cannot race."""
    name = f"{group}_t{uuid.uuid4().hex[:8]}"
    with contextlib.closing(psycopg2.connect(server_url())) as conn, conn.cursor() as cur:
        conn.autocommit = True
        cur.execute(f'CREATE ROLE "{name}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE IN ROLE "{group}"')
    params = psycopg2.extensions.parse_dsn(url)
    params["user"] = name
    return psycopg2.extensions.make_dsn(**params)


def drop_login(url: str) -> None:
    """Once its database is dropped (the login owns nothing elsewhere)."""
    name = psycopg2.extensions.parse_dsn(url)["user"]
    with contextlib.closing(psycopg2.connect(server_url())) as conn, conn.cursor() as cur:
        conn.autocommit = True
        cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (name,))
        cur.execute(f'DROP ROLE IF EXISTS "{name}"')
