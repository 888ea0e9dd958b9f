"""Bulk loading with COPY: frames go to PostgreSQL as CSV streams, never row by row."""

from __future__ import annotations

import io

import pandas as pd
from psycopg2 import sql


def copy_frame(cur, table: str, frame: pd.DataFrame, columns: list[str]) -> int:
    """COPY `frame[columns]` into `schema.table` (same column names); returns rows copied."""
    if frame.empty:
        return 0
    buffer = io.StringIO()
    frame[columns].to_csv(buffer, index=False, header=False, na_rep="")
    buffer.seek(0)
    schema, name = table.split(".")
    statement = sql.SQL("COPY {} ({}) FROM STDIN WITH (FORMAT csv)").format(
        sql.Identifier(schema, name), sql.SQL(", ").join(map(sql.Identifier, columns)))
    cur.copy_expert(statement, buffer)
    return len(frame)
