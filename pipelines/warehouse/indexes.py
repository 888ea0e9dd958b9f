"""Secondary indexes built after a bulk fill rather than kept up row by row."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


@contextlib.contextmanager
def built_after_fill(cur, tables: list[str], keys: bool = False) -> Iterator[None]:
    """Drop the secondary indexes of `tables` (schema.table), run the block, build
    them again from the migrations' own definitions. For a first night, which
    fills these tables from empty: one sorted build per index is several times
    faster than millions of random inserts into each. Primary keys stay unless
    `keys`: an upsert (ON CONFLICT with a target) needs its key to plan; a plain
    insert or ON CONFLICT DO NOTHING without one does not. Inside the caller's
    transaction: an error rolls the drop back with everything else."""
    cur.execute(
        """SELECT format('%%I.%%I', n.nspname, c.relname), pg_get_indexdef(i.indexrelid),
                  k.conrelid::regclass::text, quote_ident(k.conname), pg_get_constraintdef(k.oid)
           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
           LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid
           WHERE i.indrelid = ANY(%s::regclass[]) AND (k.oid IS NULL OR (%s AND k.contype = 'p'))
           ORDER BY 1""",
        (tables, keys))
    indexes = cur.fetchall()
    for name, _, table, key, _ in indexes:
        cur.execute(f"ALTER TABLE {table} DROP CONSTRAINT {key}" if key else f"DROP INDEX {name}")
    yield
    for _, definition, table, key, key_definition in indexes:
        cur.execute(f"ALTER TABLE {table} ADD CONSTRAINT {key} {key_definition}" if key else definition)
