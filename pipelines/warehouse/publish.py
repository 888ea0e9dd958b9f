"""Publishing a night: one transaction moves its staged loads into the
warehouse, applies identity's decisions, refreshes the golden records and the
winning records the marts count (warehouse.person_winner) of the persons they
touch, and empties staging. A crash anywhere before its commit leaves the
previous state, never half a night.

Every statement of that transaction is here (SQL in sql/), with its
physical tuning: a first night fills the big tables from empty with their
secondary indexes set aside, then analyzes and vacuums them. The temporary
tables touched_person (the persons tonight touches; every one on a first
night), touched_version (their versions, whole) and night_winner (each
person's winning record of the night) are made and read here only. An
ordinary night reads the touched persons' rows by index, never a whole
table; its one pass over the night is the scan of the night's version lists
for the rows the touched versions stand on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pipelines.sql import run_statements, sql
from pipelines.warehouse.connection import connect
from pipelines.warehouse.indexes import analyze, built_after_fill
from pipelines.warehouse.staging import clear_night


def publish_night(night: dt.date, hold: Callable[[object], None], identity: Callable[[object, dt.date], None],
                  identity_tables: dict[str, str]) -> int:
    """Publish the night's staged loads; `hold(cur)` first checks, in the same
    transaction, that this run still holds the night. `identity(cur, night)`
    applies identity's decisions, staged in `identity_tables` (table -> its
    night column), emptied with the rest of staging: identity's own, handed in
    by the caller (identity builds on the warehouse, not the reverse).
    Returns the districts published."""
    published, filled = 0, False
    with connect() as conn, conn.cursor() as cur:
        hold(cur)
        cur.execute(sql("pipelines.warehouse", "night_loads"), {"night": night})
        for load_id, district, status in cur.fetchall():
            params = {"night": night, "district": district, "load_id": load_id}
            if status == "staged":
                run_statements(cur, "pipelines.warehouse", "publish_load", params)
                published += 1
            run_statements(cur, "pipelines.warehouse", "record_file_load", params)
        if published:
            cur.execute(sql("pipelines.warehouse", "warehouse_filled"))
            touched = cur.fetchone()[0]  # else a first night: everyone
            if touched:
                _publish_persons(cur, night, touched, identity)
            else:
                filled = True
                # Keys too where the fill is a plain insert (the golden records'
                # upsert keeps theirs): 12.9 M random insertions into a key
                # missed the cache at every one.
                with built_after_fill(cur, ["warehouse.golden_record"]), \
                        built_after_fill(cur, ["warehouse.identity_node", "warehouse.person_residence"], keys=True):
                    _publish_persons(cur, night, touched, identity)
                # Filled from empty: without fresh statistics the next night's
                # lookups are planned as scans (identity_node was analyzed once filled).
                analyze(cur, ["warehouse.record_version", "warehouse.golden_record", "warehouse.person_residence"])
        clear_night(cur, {"staging.load": "export_date", **identity_tables}, night)
    _vacuum(list(identity_tables), filled)
    return published


def _publish_persons(cur, night: dt.date, touched: bool, identity: Callable[[object, dt.date], None]) -> None:
    """Identity decisions, then the golden records and the winners of the persons they touch."""
    params = {"night": night, "touched": touched}
    run_statements(cur, "pipelines.warehouse", "touched_persons", params)
    identity(cur, night)
    if not touched:
        analyze(cur, ["warehouse.identity_node"])  # the winners join all of it
    run_statements(cur, "pipelines.warehouse", "night_winner", params)
    run_statements(cur, "pipelines.warehouse", "refresh_person", params)
    _keep_winners(cur, night, whole=not touched)


def _vacuum(staged_tables: list[str], filled: bool) -> None:
    with connect(autocommit=True) as conn, conn.cursor() as cur:
        # VACUUM needs the tables' owner, which the nightly login is not
        # (docs/deployment.md): there autovacuum does it, triggered by the inserts
        # and deletes themselves (PostgreSQL 13+), a little later.
        cur.execute(sql("pipelines.warehouse", "owns_staging"))
        if not cur.fetchone()[0]:
            return
        # Staging is emptied every night, by DELETE where it held another night
        # too: the next night's scans of staging would read through the dead rows
        # until autovacuum came round (VACUUM cannot run in the transaction above).
        cur.execute(f"VACUUM staging.load, staging.resident, staging.quarantine, {', '.join(staged_tables)}")
        if filled:
            cur.execute(sql("pipelines.warehouse", "vacuum_filled"))


def winners_at(cur, night: dt.date) -> None:
    """Bring warehouse.person_winner to `night` (inside the caller's transaction),
    for the marts to count. Publish keeps it at the night it publishes; for any
    other night it is rebuilt from all the night's records (about two minutes at 12.9 M)."""
    cur.execute(sql("pipelines.warehouse", "lock_winners"))
    cur.execute(sql("pipelines.warehouse", "winners_night"))
    if cur.fetchone() != (night,):
        run_statements(cur, "pipelines.warehouse", "night_winner", {"night": night, "touched": False})
        _keep_winners(cur, night, whole=True)


def _keep_winners(cur, night: dt.date, whole: bool) -> None:
    """Bring warehouse.person_winner to `night` from temp table night_winner, which
    holds every person's winner of the night (`whole`) or those of the persons
    publish touched (temp table touched_person). When touched rows alone cannot
    bring it there, it is marked as holding no night, for winners_at to rebuild."""
    cur.execute(sql("pipelines.warehouse", "lock_winners"))
    if whole:
        cur.execute(sql("pipelines.warehouse", "empty_winners"))
        # Every person: the key is built once after the fill, not row by row.
        with built_after_fill(cur, ["warehouse.person_winner"], keys=True):
            run_statements(cur, "pipelines.warehouse", "person_winner", {"night": night})
        analyze(cur, ["warehouse.person_winner"])  # the next night deletes by person_id
        return
    cur.execute(sql("pipelines.warehouse", "person_winner_follows"), {"night": night})
    if not cur.fetchone()[0]:
        cur.execute(sql("pipelines.warehouse", "forget_winners"))
        return
    cur.execute(sql("pipelines.warehouse", "drop_touched_winners"))
    run_statements(cur, "pipelines.warehouse", "person_winner", {"night": night})
