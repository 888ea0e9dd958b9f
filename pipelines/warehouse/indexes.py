"""Secondary indexes built after a bulk fill rather than kept up row by row."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


@contextlib.contextmanager
def built_after_fill(cur, tables: list[str]) -> Iterator[None]:
    """Drop the secondary indexes of `tables` (schema.table), run the block, build
    them again from the migrations' own definitions. For a first night, which
    fills these tables from empty: one sorted build per index is several times
    faster than millions of random inserts into each. Constraint indexes (primary
    keys, which ON CONFLICT needs) stay. Inside the caller's transaction: an error
    rolls the drop back with everything else."""
    cur.execute(
        """SELECT format('%%I.%%I', n.nspname, c.relname), pg_get_indexdef(i.indexrelid)
           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE i.indrelid = ANY(%s::regclass[])
             AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
           ORDER BY 1""",
        (tables,))
    indexes = cur.fetchall()
    for name, _ in indexes:
        cur.execute(f"DROP INDEX {name}")
    yield
    for _, definition in indexes:
        cur.execute(definition)
