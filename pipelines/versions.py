"""Change detection, pure (no database): the previous night's rows of a district
by the digest of their exported text, and tonight's file as versions, filled row
by row while it is read. A row whose text (and occurrence, for a line repeated in
one file) the previous night held keeps that night's version; the others are new
or changed. Stored by pipelines/warehouse/history.py.
"""

from __future__ import annotations

from array import array

import numpy as np


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
