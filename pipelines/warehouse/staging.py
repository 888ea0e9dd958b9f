"""Emptying staging of a night once it is published (or staged again)."""

from __future__ import annotations

import datetime as dt


def clear_night(cur, tables: dict[str, str], night: dt.date) -> None:
    """Remove `night`'s rows from `tables` (table -> its night column) and the rows
    that reference them (ON DELETE CASCADE), in the caller's transaction. Where
    none of the tables holds another night, the usual case, they are truncated:
    deleting a first night's 12.9 M staged rows took 95 s, and vacuuming them
    away 54 s more. Locked first, so that no other night's rows can be written
    between the look and the truncate (a writer still open is waited for)."""
    cur.execute(f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE")
    cur.execute("SELECT " + " OR ".join(f"EXISTS (SELECT FROM {table} WHERE {column} <> %(night)s)"
                                        for table, column in tables.items()), {"night": night})
    if cur.fetchone()[0]:
        for table, column in tables.items():
            cur.execute(f"DELETE FROM {table} WHERE {column} = %(night)s", {"night": night})
    else:
        cur.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
