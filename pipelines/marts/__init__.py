"""Read models for managers, as SQL: one file per mart, refreshed per night,
plus the named read queries the reports and the worklist use (queries/*.sql),
and the winning records the marts count, kept by publish (person_winner*.sql)."""

from __future__ import annotations

import datetime as dt

from pipelines.warehouse.indexes import analyze, built_after_fill
from pipelines.warehouse.queries import query, sql_file

MARTS = ("ektp_coverage", "district_persons")


def refresh_marts(cur, night: dt.date) -> None:
    """Rebuild every mart's rows for `night` (inside the caller's transaction)
    from each person's winning record of the night, warehouse.person_winner.
    Publish keeps that table at the night it publishes; for any other night it
    is first rebuilt from all the night's records (about two minutes at 12.9 M)."""
    cur.execute("LOCK TABLE warehouse.person_winner_night IN SHARE ROW EXCLUSIVE MODE")
    cur.execute("SELECT night FROM warehouse.person_winner_night")
    if cur.fetchone() != (night,):
        cur.execute(query("night_winner"), {"night": night, "touched": False})
        keep_winners(cur, night, whole=True)
    for name in MARTS:
        cur.execute(sql_file("pipelines.marts", f"{name}.sql"), {"night": night})


def keep_winners(cur, night: dt.date, whole: bool) -> None:
    """Bring warehouse.person_winner to `night` from temp table night_winner, which
    holds every person's winner of the night (`whole`) or those of the persons
    publish touched (temp table touched_person). When touched rows alone cannot
    bring it there, it is marked as holding no night, for the marts to rebuild."""
    cur.execute("LOCK TABLE warehouse.person_winner_night IN SHARE ROW EXCLUSIVE MODE")
    fill = sql_file("pipelines.marts", "person_winner.sql")
    if whole:
        cur.execute("TRUNCATE warehouse.person_winner")
        # Every person: the key is built once after the fill, not row by row.
        with built_after_fill(cur, ["warehouse.person_winner"], keys=True):
            cur.execute(fill, {"night": night})
        analyze(cur, ["warehouse.person_winner"])  # the next night deletes by person_id
        return
    cur.execute(sql_file("pipelines.marts", "person_winner_follows.sql"), {"night": night})
    if not cur.fetchone()[0]:
        cur.execute("DELETE FROM warehouse.person_winner_night")
        return
    cur.execute("DELETE FROM warehouse.person_winner WHERE person_id IN (SELECT person_id FROM touched_person)")
    cur.execute(fill, {"night": night})


def read(cur, name: str, **params) -> list[dict]:
    """Rows of the named read query `queries/<name>.sql`, as dicts."""
    cur.execute(sql_file("pipelines.marts", f"queries/{name}.sql"), params)
    names = [column.name for column in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]
