"""Read models for managers, as SQL: one folder of ordered statements per mart, refreshed per night from
each person's winning record (warehouse.person_winner, kept by
pipelines/warehouse/publish.py), plus the named read queries the reports and
the worklist use (sql/queries/). Builds mart.* only."""

from __future__ import annotations

import datetime as dt

from pipelines.sql import run_statements, sql

MARTS = ("ektp_coverage", "district_persons")


def refresh_marts(cur, night: dt.date) -> None:
    """Rebuild every mart's rows for `night` (inside the caller's transaction),
    once warehouse.person_winner holds the night (warehouse.publish.winners_at)."""
    for name in MARTS:
        run_statements(cur, "pipelines.marts", name, {"night": night})


def read(cur, name: str, **params) -> list[dict]:
    """Rows of the named read query `sql/queries/<name>.sql`, as dicts."""
    cur.execute(sql("pipelines.marts", f"queries/{name}"), params)
    names = [column.name for column in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]
