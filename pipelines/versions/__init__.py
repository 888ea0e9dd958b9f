"""Change detection, pure (no database): the previous night's rows of a district
by the digest of their exported bytes, and tonight's file as versions. A row
whose bytes (and occurrence, for a line repeated in one file) the previous night
held keeps that night's version; the others are new or changed. Stored by
pipelines/warehouse/history.py.

A digest is the md5 of the row's raw bytes as exported, its line ending left
out (so the file's encoding does not matter), 16 bytes a row in row order; a
night keeps them beside its versions (migration 070). Two ways fill tonight's
side:

- `match`, for a whole file at once (pipelines/ingest.py reads the file's lines
  as one Arrow array, DuckDB hashes them and joins them to the previous night
  by digest and occurrence): what an ordinary night uses, at Arrow speed.
- `occurrence`, row by row while the record reader parses the file: a first
  night, or a file with a record over several lines (a quoted line break).

md5 rather than a faster 64-bit hash: a collision would silently keep an old
version for a changed row, and with 128 bits the chance (about n^2 / 2^129 for n
rows) is nil; md5 is also stable across library versions, and keeps the digests
of nights stored before this way comparable.
"""

from __future__ import annotations

from array import array

import duckdb
import numpy as np
import pyarrow as pa

from pipelines.sql import sql

DIGEST_BYTES = 16


class Versions:
    """The previous night's versions of one district by digest, and tonight's
    file as versions."""

    def __init__(self, digests: bytes | list[bytes] = b"", versions: list[int] | np.ndarray | None = None):
        """`digests` (16 bytes a row) and `versions`: the previous night's rows (0:
        quarantined), a repeated line's in the order of its occurrences."""
        self.previous_digests = b"".join(digests) if isinstance(digests, list) else bytes(digests)
        self.previous = np.asarray(versions if versions is not None else [], dtype=np.int64)
        self._stored: dict[bytes, int | tuple[int, ...]] | None = None
        self.seen: dict[bytes, int] = {}
        self.rows = array("q")  # per data row: the version kept, 0 for a new, changed or unreadable row
        self.digests = bytearray()  # per data row: its digest, kept with the night (migration 070)

    @property
    def stored(self) -> dict[bytes, int | tuple[int, ...]]:
        """digest -> version id (ids by occurrence for a repeated line); built only
        for the row-by-row reader."""
        if self._stored is None:
            previous = self.previous_digests
            digests = [previous[i:i + DIGEST_BYTES] for i in range(0, len(previous), DIGEST_BYTES)]
            versions = self.previous.tolist()
            self._stored = dict(zip(digests, versions))
            if len(self._stored) < len(digests):  # a line repeated in the file: its ids by occurrence
                self._stored = {}
                for digest, version in zip(digests, versions):
                    held = self._stored.get(digest)
                    self._stored[digest] = version if held is None else (*_ids(held), version)
        return self._stored

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

    def match(self, digests: np.ndarray, con: duckdb.DuckDBPyConnection) -> tuple[np.ndarray, np.ndarray]:
        """The whole file at once: `digests` (uint64, one row of two halves per data
        row, as from `line_digests`), joined to the previous night's in `con`.
        Returns each row's occurrence and the version it keeps (0: none)."""
        occurrence = occurrences(digests)
        tonight = pa.table({"row": np.arange(len(digests)), "low": digests[:, 0], "high": digests[:, 1],
                            "occurrence": occurrence})
        held = np.frombuffer(self.previous_digests, dtype="<u8").reshape(-1, 2)
        previous = pa.table({"low": held[:, 0], "high": held[:, 1], "occurrence": occurrences(held),
                             "version": self.previous})
        con.register("tonight", tonight)
        con.register("previous", previous)
        kept = np.asarray(con.execute(sql("pipelines.versions", "kept_versions")).fetchnumpy()["version"],
                          dtype=np.int64)
        self.rows = array("q", kept.tobytes())
        self.digests = bytearray(np.ascontiguousarray(digests, dtype="<u8").tobytes())
        return occurrence, kept

    def gone(self) -> np.ndarray:
        """Versions of the previous night that tonight's file no longer holds: a
        version is kept by the one row with its text and occurrence, so those
        tonight's rows do not keep."""
        previous = self.previous[self.previous != 0]
        return previous[~np.isin(previous, np.frombuffer(self.rows, dtype=np.int64))]


def occurrences(digests: np.ndarray) -> np.ndarray:
    """Each row's occurrence of its digest (uint64 pairs) in row order: 1, or n
    for the n-th identical line. By one stable sort, not a window per digest."""
    if len(digests) < 2 or not (np.diff(np.sort(digests[:, 0])) == 0).any():
        return np.ones(len(digests), dtype=np.int64)  # the usual file: no line repeated
    order = np.lexsort((digests[:, 1], digests[:, 0]))  # stable: equal digests stay in row order
    ordered = digests[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    at = np.arange(len(order))
    found = np.empty(len(order), dtype=np.int64)
    found[order] = at - np.maximum.accumulate(np.where(first, at, 0)) + 1
    return found


def line_digests(con: duckdb.DuckDBPyConnection, lines: pa.Array, data: np.ndarray) -> np.ndarray:
    """md5 of each element of `lines` (binary) where `data` is true, in order, as
    uint64 pairs (bytes 0-7, 8-15 of the digest, little-endian), by `con`."""
    con.register("lines", pa.table({"line": lines, "data": data}))
    found = con.execute(sql("pipelines.versions", "line_digests")).fetchnumpy()
    return np.column_stack([np.asarray(found["low"], dtype=np.uint64), np.asarray(found["high"], dtype=np.uint64)])


def _ids(stored: int | tuple[int, ...]) -> tuple[int, ...]:
    # One id is kept bare: a million one-element tuples would cost ~60 MB more.
    return (stored,) if isinstance(stored, int) else stored
