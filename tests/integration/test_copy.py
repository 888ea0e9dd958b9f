"""COPY of frames: what each value becomes in PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pipelines.warehouse import connect
from pipelines.warehouse.copy import copy_frame


def test_copy_frame_sends_empty_text_as_null_and_keeps_awkward_text_exact():
    frame = pd.DataFrame({
        "t": ["plain", "", None, 'koma, "kutip"\nbaris baru', "Ñ'AINI"],
        "d": [dt.date(2020, 1, 2), None, dt.date(1999, 12, 31), None, None],
        "i": pd.array([1, None, 3, 4, 5], dtype="Int64"),
        "b": [True, False, None, True, False],
    })
    with connect() as conn, conn.cursor() as cur:
        cur.execute("CREATE TEMP TABLE copied (t text, d date, i bigint, b boolean)")
        assert copy_frame(cur, "pg_temp.copied", frame, ["t", "d", "i", "b"]) == 5
        cur.execute("SELECT t, d, i, b FROM copied")
        rows = cur.fetchall()
        conn.rollback()
    assert rows == [("plain", dt.date(2020, 1, 2), 1, True), (None, None, None, False),
                    (None, dt.date(1999, 12, 31), 3, None), ('koma, "kutip"\nbaris baru', None, 4, True),
                    ("Ñ'AINI", None, 5, False)]
