"""Change detection, without a database: which of tonight's rows keep the
previous night's version, and which versions tonight's file drops."""

from __future__ import annotations

import numpy as np

from pipelines.versions import Versions


def digest(text: str) -> bytes:
    return text.encode().ljust(16, b".")


def test_a_first_night_keeps_nothing():
    versions = Versions()
    assert versions.occurrence(digest("a")) == (1, 0)
    assert list(versions.rows) == [0]
    assert versions.gone().size == 0


def test_rows_whose_text_the_previous_night_held_keep_its_version():
    versions = Versions([digest("a"), digest("b"), digest("c")], [11, 12, 13])
    assert [versions.occurrence(digest(t)) for t in ("b", "x", "a")] == [(1, 12), (1, 0), (1, 11)]
    assert list(versions.rows) == [12, 0, 11]
    assert bytes(versions.digests) == digest("b") + digest("x") + digest("a")
    assert versions.gone().tolist() == [13]


def test_a_repeated_line_keeps_its_versions_by_occurrence():
    versions = Versions([digest("a"), digest("a"), digest("b")], [21, 22, 23])
    assert [versions.occurrence(digest("a")) for _ in range(3)] == [(1, 21), (2, 22), (3, 0)]
    assert versions.gone().tolist() == [23]


def test_a_quarantined_row_of_the_previous_night_is_never_gone():
    versions = Versions([digest("a"), digest("q")], [31, 0])
    versions.occurrence(digest("a"))
    assert versions.gone().tolist() == []
    assert versions.previous.dtype == np.int64
