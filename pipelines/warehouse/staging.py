"""Emptying staging of a night once it is published (or staged again)."""

from __future__ import annotations

import datetime as dt

from pipelines.sql import sql


def clear_night(cur, tables: dict[str, str], night: dt.date) -> None:
    """Remove `night`'s rows from `tables` (table -> its night column) and the rows
    that reference them (ON DELETE CASCADE), in the caller's transaction. Where
    staging holds no other night, the usual case, the tables are truncated:
    deleting a first night's 12.9 M staged rows took 95 s, and vacuuming them
    away 54 s more. Another night is staged when staging.load lists one: the
    other tables hold what was derived from a night's loads, and identity
    derives its own again before a night is published (a scan of those tables
    for other nights took 10 s after a first night). Locked first, so that no
    writer of the tables can come between the look and the truncate."""
    cur.execute(f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE")
    cur.execute(sql("pipelines.warehouse", "other_night_staged"), {"night": night})
    if cur.fetchone()[0]:
        for table, column in tables.items():
            cur.execute(f"DELETE FROM {table} WHERE {column} = %(night)s", {"night": night})
    else:
        cur.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
