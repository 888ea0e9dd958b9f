"""Secondary indexes built after a bulk fill rather than kept up row by row."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from pipelines.sql import sql


@contextlib.contextmanager
def built_after_fill(cur, tables: list[str], keys: bool = False) -> Iterator[None]:
    """Drop the secondary indexes of `tables` (schema.table), run the block, build
    them again from the migrations' own definitions. For a first night, which
    fills these tables from empty: one sorted build per index is several times
    faster than millions of random inserts into each. Primary keys stay unless
    `keys`: an upsert (ON CONFLICT with a target) needs its key to plan; a plain
    insert or ON CONFLICT DO NOTHING without one does not. Inside the caller's
    transaction: an error rolls the drop back with everything else. Done by the
    owner's functions (migration 160): the nightly login does not own the tables."""
    cur.execute(sql("pipelines.warehouse", "set_indexes_aside"), {"tables": tables, "keys": keys})
    yield
    cur.execute(sql("pipelines.warehouse", "restore_indexes"), {"tables": tables})


def analyze(cur, tables: list[str]) -> None:
    """Fresh statistics for tables the nightly login does not own (migration 160)."""
    cur.execute(sql("pipelines.warehouse", "analyze_tables"), {"tables": tables})
