"""How a night's file becomes history without copying the province every night
(tables in migration 050).

A record is stored once, as a *version* keyed by the md5 of its exported text
(and its occurrence, for a line repeated in one file). A night of a district is
the list of versions of its file in row order. Staging compares the file with
the district's previous loaded night: a row whose text that night already held
keeps its version and skips parsing, validation and identity; only new or
changed rows are validated and stored.
"""

from __future__ import annotations

import datetime as dt
import io
from array import array

import numpy as np
import psycopg2

from pipelines.sql import sql
from pipelines.warehouse import connect


class Versions:
    """The previous night's versions of one district by text digest, and tonight's
    file as versions, filled row by row while it is read."""

    def __init__(self, digests: list[bytes] | None = None, versions: list[int] | None = None):
        """`digests` and `versions`: the previous night's rows (0: quarantined), a
        repeated line's in the order of its occurrences."""
        digests, versions = digests or [], versions or []
        self.stored = dict(zip(digests, versions))  # digest -> version id
        if len(self.stored) < len(digests):  # a line repeated in the file: its ids by occurrence
            self.stored = {}
            for digest, version in zip(digests, versions):
                held = self.stored.get(digest)
                self.stored[digest] = version if held is None else (*_ids(held), version)
        self.previous = np.array(versions, dtype=np.int64)
        self.seen: dict[bytes, int] = {}
        self.rows = array("q")  # per data row: the version kept, 0 for a new, changed or unreadable row
        self.digests = bytearray()  # per data row: its digest, kept with the night (migration 070)

    def occurrence(self, digest: bytes) -> tuple[int, int]:
        """The row's occurrence of this text in the file, and the version it keeps (0: none)."""
        n = self.seen[digest] = self.seen.get(digest, 0) + 1
        ids = self.stored.get(digest, ())
        if isinstance(ids, int):  # the common case, kept off the tuple path: this runs for every row
            version = ids if n == 1 else 0
        else:
            version = ids[n - 1] if n <= len(ids) else 0
        self.rows.append(version)
        self.digests += digest
        return n, version

    def gone(self) -> np.ndarray:
        """Versions of the previous night that tonight's file no longer holds: a
        version is kept by the one row with its text and occurrence, so those
        tonight's rows do not keep."""
        previous = self.previous[self.previous != 0]
        return previous[~np.isin(previous, np.frombuffer(self.rows, dtype=np.int64))]


def _ids(stored: int | tuple[int, ...]) -> tuple[int, ...]:
    # One id is kept bare: a million one-element tuples would cost ~60 MB more.
    return (stored,) if isinstance(stored, int) else stored


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
    digests = bytes(digests)
    return Versions([digests[i:i + 16] for i in range(0, len(digests), 16)], list(map(int, versions.split())))


def _from_record_versions(cur, night: dt.date, district: str) -> tuple[list[bytes], list[int]]:
    """Digests and versions of the night's stored rows, by occurrence, streamed out by COPY."""
    params = {"district": district, "night": night}
    statement = cur.mogrify(sql("pipelines.warehouse", "night_digests"), params).decode()
    buffer = io.StringIO()
    cur.copy_expert(f"COPY ({statement}) TO STDOUT", buffer)
    pairs = [line.split("\t") for line in buffer.getvalue().splitlines()]
    return [bytes.fromhex(digest) for digest, _ in pairs], [int(version) for _, version in pairs]


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
