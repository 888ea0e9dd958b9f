"""Reading district files: every form the contract tolerates, and every kind of damage."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines import ingest
from tests.rows import csv_text, valid_row, write_export

NIGHT = dt.date(2026, 11, 26)


def read(path, district="3601"):
    export = ingest.inspect(path, district, NIGHT)
    chunks = list(ingest.read_chunks(export, chunk_rows=2))
    frames = [chunk.frame for chunk in chunks]
    problems = [problem for chunk in chunks for problem in chunk.problems]
    rows = [row for frame in frames for row in frame.to_dict("records")]
    return export, rows, problems


def test_plain_file_keeps_identifiers_as_text(tmp_path):
    path = write_export(tmp_path, "3601", csv_text([valid_row(1, NIK="0601011505800001"), valid_row(2)]))
    export, rows, problems = read(path)
    assert export.encoding == "utf-8-sig" and not problems
    assert [r["NIK"] for r in rows] == ["0601011505800001", "3601011505800002"]
    assert [r["source_row"] for r in rows] == [1, 2]


@pytest.mark.parametrize("delimiter", [";", "|"])
def test_other_delimiters_and_header_case_and_order(tmp_path, delimiter):
    from pipelines.contract import COLUMNS

    columns = [c.lower() for c in reversed(COLUMNS)]
    text = csv_text([{k.lower(): v for k, v in valid_row().items()}], delimiter, columns)
    _, rows, problems = read(write_export(tmp_path, "3601", text))
    assert not problems and rows[0]["NAMA_LGKP"] == "SUKARDI 1" and rows[0]["NIK"] == "3601011505800001"


def test_gzip_and_bom(tmp_path):
    path = write_export(tmp_path, "3601", "\ufeff" + csv_text([valid_row()]), gz=True)
    _, rows, problems = read(path)
    assert len(rows) == 1 and not problems


def test_windows_1252_is_decoded_not_mangled(tmp_path):
    path = write_export(tmp_path, "3601", csv_text([valid_row(NAMA_LGKP="MA’RUF AMIN")]), encoding="cp1252")
    export, rows, _ = read(path)
    assert export.encoding == "cp1252" and rows[0]["NAMA_LGKP"] == "MA’RUF AMIN"


def test_undecodable_file_is_rejected_with_reason(tmp_path):
    path = write_export(tmp_path, "3601", csv_text([valid_row()]).encode() + b"\x81\x8d\xff\xfe\n")
    with pytest.raises(ingest.FileRejected, match="Pengodean"):
        ingest.inspect(path, "3601", NIGHT)


def test_empty_file_is_rejected(tmp_path):
    with pytest.raises(ingest.FileRejected, match="kosong"):
        ingest.inspect(write_export(tmp_path, "3601", ""), "3601", NIGHT)


def test_missing_required_column_names_it(tmp_path):
    from pipelines.contract import COLUMNS

    path = write_export(tmp_path, "3601", csv_text([valid_row()], columns=[c for c in COLUMNS if c != "NIK"]))
    with pytest.raises(ingest.FileRejected, match="NIK") as err:
        read(path)
    assert "3601.csv" in err.value.detail


def test_repeated_header_unbalanced_quote_and_nul_are_row_problems(tmp_path):
    lines = csv_text([valid_row(1), valid_row(2), valid_row(3)]).splitlines()
    header = lines[0]
    broken = lines[2].replace("SUKARDI 2", '"SUKARDI 2')
    nul = lines[3].replace("SUKARDI 3", "SUK\x00ARDI")
    text = "\n".join([header, lines[1], header, broken, nul, lines[1]]) + "\n"
    _, rows, problems = read(write_export(tmp_path, "3601", text))
    assert [r["source_row"] for r in rows] == [1, 5]
    assert {(p.source_row, p.rule) for p in problems} == {(2, "repeated_header"), (3, "unbalanced_quote"),
                                                          (4, "nul_byte")}
    assert "\x00" not in problems[-1].raw


def test_quoted_line_break_inside_a_field_is_one_row(tmp_path):
    text = csv_text([valid_row(ALAMAT="JL. RAYA\nNO. 5"), valid_row(2)])
    _, rows, problems = read(write_export(tmp_path, "3601", text))
    assert not problems and rows[0]["ALAMAT"] == "JL. RAYA\nNO. 5" and rows[1]["source_row"] == 2


def test_truncated_last_row_is_quarantined_not_lost(tmp_path):
    text = csv_text([valid_row(1), valid_row(2)])
    _, rows, problems = read(write_export(tmp_path, "3601", text[: text.rindex(",1,8,")]))
    assert len(rows) == 1 and problems[0].source_row == 2 and problems[0].rule == "field_count"


def test_truncated_gzip_is_rejected(tmp_path):
    path = write_export(tmp_path, "3601", csv_text([valid_row(i) for i in range(1, 200)]), gz=True)
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(ingest.FileRejected, match="gzip"):
        read(path)


def test_manifest_sha256_mismatch_rejects(tmp_path):
    path = write_export(tmp_path, "3601", csv_text([valid_row()]),
                        manifest={"district_code": "3601", "export_date": NIGHT.isoformat(), "row_count": 1,
                                  "sha256": "0" * 64})
    with pytest.raises(ingest.FileRejected, match="sha256"):
        ingest.inspect(path, "3601", NIGHT)


def test_find_exports_marks_missing_districts(tmp_path):
    write_export(tmp_path / NIGHT.isoformat(), "3601", csv_text([valid_row()]))
    write_export(tmp_path / NIGHT.isoformat(), "3602", csv_text([valid_row()]), gz=True)
    found = ingest.find_exports(tmp_path, NIGHT)
    assert found["3601"].name == "3601.csv" and found["3602"].name == "3602.csv.gz" and found["3603"] is None


def test_file_still_being_written_is_waited_for(tmp_path, monkeypatch):
    import threading
    import time

    monkeypatch.setenv("DUKCAPIL_SETTLE_SECONDS", "1")
    text = csv_text([valid_row(i) for i in range(1, 4)])
    path = write_export(tmp_path, "3601", text[:200])

    def finish_writing():
        time.sleep(0.5)
        path.write_text(text)

    writer = threading.Thread(target=finish_writing)
    writer.start()
    started = time.monotonic()
    _, rows, problems = read(path)
    writer.join()
    assert time.monotonic() - started >= 1.0
    assert len(rows) == 3 and not problems
