"""How a night's file becomes history without copying the province every night
(tables in migration 050).

A record is stored once, as a *version* keyed by the md5 of its exported bytes
(and its occurrence, for a line repeated in one file). A night of a district is
the list of versions of its file in row order. Staging compares the file with
the district's previous loaded night: a row whose text that night already held
keeps its version and skips parsing, validation and identity; only new or
changed rows are validated and stored. Which rows those are is decided without
a database (pipelines/versions/, which also says how a file's lines are
hashed and matched at once); reading and storing them is here.
"""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import psycopg2

from pipelines.sql import sql
from pipelines.versions import Versions
from pipelines.warehouse.connection import connect


def previous_versions(night: dt.date, district: str) -> Versions:
    """The versions of the district's latest loaded night before `night` (none on a
    first night) by the digests of its rows: kept with that night when it is the
    district's latest (the usual case), else found through record_version."""
    with connect() as conn, conn.cursor() as cur:
        cur.execute(sql("pipelines.warehouse", "previous_night"), {"district": district, "night": night})
        found = cur.fetchone()
        if found is None:
            return Versions()
        previous, digests, versions = found
        if digests is None:
            return Versions(*_from_record_versions(cur, previous, district))
    return Versions(bytes(digests), np.array(versions.split(), dtype=np.int64))


def _from_record_versions(cur, night: dt.date, district: str) -> tuple[bytes, list[int]]:
    """Digests and versions of the night's stored rows, by occurrence, streamed out by COPY."""
    params = {"district": district, "night": night}
    statement = cur.mogrify(sql("pipelines.warehouse", "night_digests"), params).decode()
    buffer = io.StringIO()
    cur.copy_expert(f"COPY ({statement}) TO STDOUT", buffer)
    pairs = [line.split("\t") for line in buffer.getvalue().splitlines()]
    return bytes.fromhex("".join(digest for digest, _ in pairs)), [int(version) for _, version in pairs]


def store_night(cur, load_id: int, district: str, night: dt.date, versions: Versions) -> np.ndarray:
    """Store tonight's new or changed rows (staged under load_id) as versions, the
    file as a list of versions on the load, and the versions added or dropped
    since the previous night (whose persons publishing refreshes). Versions are
    content: one written by a run that died before publishing is found again
    (looked up first: ON CONFLICT's speculative inserts took a fifth longer, and
    the night's lease keeps a district to one staging task at a time).
    Returns the file's versions in row order (0 for a quarantined row)."""
    params = {"district": district, "night": night, "load_id": load_id}
    cur.execute(sql("pipelines.warehouse", "store_versions"), params)
    buffer = io.StringIO()
    statement = cur.mogrify(sql("pipelines.warehouse", "staged_versions"), params).decode()
    cur.copy_expert(f"COPY ({statement}) TO STDOUT", buffer)
    added = np.array(buffer.getvalue().split(), dtype=np.int64).reshape(-1, 2)
    rows = np.frombuffer(versions.rows, dtype=np.int64).copy()
    rows[added[:, 0] - 1] = added[:, 1]
    changed = np.concatenate([added[:, 1], versions.gone()])
    cur.execute(sql("pipelines.warehouse", "load_versions"),
                {"rows": _array_literal(rows), "changed": _array_literal(changed),
                 "digests": psycopg2.Binary(versions.digests), "load_id": load_id})
    return rows


def _array_literal(values: np.ndarray) -> str:
    """A bigint[] literal, 0 as NULL (a quarantined row has no version). Far faster
    than adapting a Python list of millions of ints."""
    text = values.astype(str).astype(object)
    text[values == 0] = "NULL"
    return "{" + ",".join(text) + "}"
