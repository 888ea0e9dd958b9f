"""A night's district files as loads: staging.load while staged, audit.file_load
once published. Counts and reasons only, never rows."""

from __future__ import annotations

import datetime as dt
import json

from pipelines.sql import sql
from pipelines.warehouse.connection import connect


def forget_stale(cur, night: dt.date, district: str) -> None:
    cur.execute(sql("pipelines.warehouse", "forget_stale_load"), {"night": night, "district": district})


def insert_load(cur, night: dt.date, outcome: dict) -> int:
    """`outcome`: the load's fields (district_code, file_name, status, counts,
    reason, rule_counts); returns its load_id."""
    cur.execute(sql("pipelines.warehouse", "insert_load"),
                {**outcome, "night": night, "rule_counts": json.dumps(outcome["rule_counts"])})
    return cur.fetchone()[0]


def finish_load(cur, load_id: int, outcome: dict, validation_result: dict | None) -> None:
    result = None if validation_result is None else json.dumps(validation_result)
    cur.execute(sql("pipelines.warehouse", "finish_load"),
                {**outcome, "load_id": load_id, "rule_counts": json.dumps(outcome["rule_counts"]),
                 "validation_result": result})


def loaded_file(night: dt.date, district: str) -> tuple | None:
    """(sha256, rows read, loaded, quarantined, unchanged, warnings) of the file
    the warehouse holds for the night and district, or None."""
    with connect() as conn, conn.cursor() as cur:
        cur.execute(sql("pipelines.warehouse", "loaded_file"), {"night": night, "district": district})
        return cur.fetchone()


def validation_results(night: dt.date) -> list[dict]:
    with connect() as conn, conn.cursor() as cur:
        cur.execute(sql("pipelines.warehouse", "validation_results"), {"night": night})
        return [row[0] for row in cur.fetchall()]
