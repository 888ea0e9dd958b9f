"""Bulk transfer with COPY: frames go to PostgreSQL, and query results come back,
as CSV streams, never row by row."""

from __future__ import annotations

import io

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pa_csv
from psycopg2 import sql


def copy_frame(cur, table: str, frame: pd.DataFrame, columns: list[str]) -> int:
    """COPY `frame[columns]` into `schema.table` (same column names); returns rows copied."""
    if frame.empty:
        return 0
    # Arrow writes CSV several times faster than pandas (a first night copies
    # tens of millions of rows). It quotes empty text, which PostgreSQL reads as
    # '' where an unquoted empty field is NULL: empty text is sent as NULL, as
    # the callers expect.
    arrow = pa.Table.from_pandas(frame[columns], preserve_index=False)
    arrow = pa.table([_empty_as_null(column) for column in arrow.columns], names=columns)
    buffer = io.BytesIO()
    pa_csv.write_csv(arrow, buffer, pa_csv.WriteOptions(include_header=False))
    buffer.seek(0)
    schema, name = table.split(".")
    statement = sql.SQL("COPY {} ({}) FROM STDIN WITH (FORMAT csv)").format(
        sql.Identifier(schema, name), sql.SQL(", ").join(map(sql.Identifier, columns)))
    cur.copy_expert(statement, buffer)
    return len(frame)


def _empty_as_null(column: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return pc.if_else(pc.equal(column, ""), None, column)
    return column


def read_frame(cur, statement: str, params=None) -> pd.DataFrame:
    """A query's rows as a frame of text (None for NULL) via COPY: an order of
    magnitude faster than fetchall."""
    buffer = io.StringIO()
    cur.copy_expert(f"COPY ({cur.mogrify(statement, params).decode()}) TO STDOUT WITH (FORMAT csv, HEADER)", buffer)
    buffer.seek(0)
    frame = pd.read_csv(buffer, dtype=str, keep_default_na=False, na_values=[""])
    return frame.astype(object).where(frame.notna(), None)
