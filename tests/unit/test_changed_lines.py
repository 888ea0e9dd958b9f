"""An ordinary night reads its file's lines at once (pipelines/ingest.py,
pipelines/versions): only the rows the previous night did not hold as they are
are parsed, and every row is still counted."""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pytest

from pipelines import ingest
from pipelines.versions import Versions, occurrences
from tests.rows import csv_text, valid_row, write_export

NIGHT = dt.date(2026, 11, 26)


def read(path, previous: Versions | None = None):
    """Tonight's versions, parsed rows, row problems and unchanged count."""
    versions = previous if previous is not None else Versions()
    chunks = list(ingest.read_chunks(ingest.inspect(path, "3601", NIGHT), chunk_rows=2, versions=versions))
    rows = [row for chunk in chunks for row in chunk.frame.to_dict("records")]
    return versions, rows, [p for chunk in chunks for p in chunk.problems], sum(c.unchanged for c in chunks)


def stored(versions: Versions) -> Versions:
    """That night as the next night finds it: row i stored as version i + 1."""
    return Versions(bytes(versions.digests), np.arange(1, len(versions.rows) + 1))


def no_row_by_row(monkeypatch):
    def refuse(self, digest):
        raise AssertionError("an ordinary night read its file row by row")

    monkeypatch.setattr(Versions, "occurrence", refuse)


def test_an_ordinary_night_parses_only_changed_rows_and_counts_the_rest(tmp_path, monkeypatch):
    rows = [valid_row(i) for i in range(1, 6)]
    first, _, _, _ = read(write_export(tmp_path / "1", "3601", csv_text(rows)))
    rows[2] = valid_row(3, ALAMAT="JL. BARU")
    no_row_by_row(monkeypatch)
    tonight, parsed, problems, unchanged = read(write_export(tmp_path / "2", "3601", csv_text(rows)), stored(first))
    assert [(r["source_row"], r["ALAMAT"]) for r in parsed] == [(3, "JL. BARU")] and not problems
    assert unchanged == 4 and list(tonight.rows) == [1, 2, 0, 4, 5]
    assert bytes(tonight.digests)[32:48] == hashlib.md5(csv_text([rows[2]]).splitlines()[1].encode()).digest()


def test_a_night_identical_to_the_previous_one_parses_nothing(tmp_path, monkeypatch):
    text = csv_text([valid_row(i) for i in range(1, 4)]).replace("\n", "\r\n")
    first, _, _, _ = read(write_export(tmp_path / "1", "3601", text))
    no_row_by_row(monkeypatch)
    tonight, parsed, problems, unchanged = read(write_export(tmp_path / "2", "3601", text), stored(first))
    assert parsed == [] and problems == [] and unchanged == 3
    assert list(tonight.rows) == [1, 2, 3] and tonight.gone().size == 0


DAMAGED = {
    "repeated header, NUL, blank and short lines": csv_text([valid_row(1)]) + "\n   \n"
    + csv_text([valid_row(2)]) + "3601\x00,x\n" + "3601011505800009,1\n" + csv_text([valid_row(3)]).splitlines()[1],
    "byte order mark, CRLF, no newline at the end": "\ufeff" + csv_text([valid_row(i) for i in range(1, 5)])
    .replace("\n", "\r\n").rstrip(),
    "blank lines before the header": "\n\n" + csv_text([valid_row(1), valid_row(2, ALAMAT="  ")]),
}


@pytest.mark.parametrize("block", [64, 1 << 20], ids=["small blocks", "one block"])
@pytest.mark.parametrize("name", DAMAGED)
def test_a_wholly_changed_file_reads_as_on_a_first_night(tmp_path, monkeypatch, name, block):
    path = write_export(tmp_path, "3601", DAMAGED[name])
    _, expected, expected_problems, _ = read(path)
    monkeypatch.setattr(ingest, "LINE_BLOCK_BYTES", block)  # lines cut across reads
    no_row_by_row(monkeypatch)
    other = Versions(hashlib.md5(b"another row").digest(), [7])
    tonight, parsed, problems, unchanged = read(path, other)
    assert unchanged == 0 and parsed == expected and problems == expected_problems
    assert len(tonight.rows) == len(expected) + len(expected_problems)


def test_a_repeated_line_keeps_one_version_per_occurrence(tmp_path, monkeypatch):
    a, b = valid_row(1), valid_row(2)
    first, _, _, _ = read(write_export(tmp_path / "1", "3601", csv_text([a, b])))
    no_row_by_row(monkeypatch)
    tonight, parsed, _, unchanged = read(write_export(tmp_path / "2", "3601", csv_text([a, a, b])), stored(first))
    assert [(r["source_row"], r["occurrence"]) for r in parsed] == [(2, 2)]
    assert unchanged == 2 and list(tonight.rows) == [1, 0, 2]


def test_a_record_over_several_lines_is_read_record_by_record(tmp_path):
    rows = [valid_row(1, ALAMAT="JL. RAYA\nNO. 5"), valid_row(2), valid_row(3)]
    first, _, _, _ = read(write_export(tmp_path / "1", "3601", csv_text(rows)))
    rows[2] = valid_row(3, ALAMAT="JL. BARU")
    tonight, parsed, problems, unchanged = read(write_export(tmp_path / "2", "3601", csv_text(rows)), stored(first))
    assert [(r["source_row"], r["ALAMAT"]) for r in parsed] == [(3, "JL. BARU")] and not problems
    assert unchanged == 2 and list(tonight.rows) == [1, 2, 0]


def cp1252_rows(changed: str) -> list[dict]:
    return [valid_row(1, NAMA_LGKP="MA’RUF AMIN"), valid_row(2, ALAMAT=changed)]


def test_a_cp1252_row_is_known_by_its_raw_bytes(tmp_path, monkeypatch):
    first, _, _, _ = read(write_export(tmp_path / "1", "3601", csv_text(cp1252_rows("A")), encoding="cp1252"))
    line = csv_text(cp1252_rows("A")).splitlines()[1].encode("cp1252")
    assert bytes(first.digests)[:16] == hashlib.md5(line).digest()
    no_row_by_row(monkeypatch)
    path = write_export(tmp_path / "2", "3601", csv_text(cp1252_rows("B")), encoding="cp1252")
    tonight, parsed, _, unchanged = read(path, stored(first))
    assert [r["ALAMAT"] for r in parsed] == ["B"] and unchanged == 1 and list(tonight.rows) == [1, 0]


def test_a_previous_night_hashed_from_decoded_text_is_read_again_where_bytes_differ(tmp_path):
    """Nights stored before digests were of raw bytes hashed the text as UTF-8:
    an accented cp1252 row then looks changed once and is read again, correctly."""
    text = csv_text(cp1252_rows("A"))
    old = Versions(b"".join(hashlib.md5(line.encode()).digest() for line in text.splitlines()[1:]), [1, 2])
    tonight, parsed, _, unchanged = read(write_export(tmp_path, "3601", text, encoding="cp1252"), old)
    assert [(r["source_row"], r["NAMA_LGKP"]) for r in parsed] == [(1, "MA’RUF AMIN")]
    assert unchanged == 1 and list(tonight.rows) == [0, 2] and tonight.gone().tolist() == [1]


def test_occurrences_count_each_digest_in_row_order():
    digests = np.array([[5, 1], [3, 9], [5, 1], [5, 2], [5, 1]], dtype=np.uint64)
    assert occurrences(digests).tolist() == [1, 1, 2, 1, 3]
    assert occurrences(digests[[1, 3]]).tolist() == [1, 1]
