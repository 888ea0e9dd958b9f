"""Least privilege: each role is tried on what it must not do."""

from __future__ import annotations

import psycopg2
import pytest

from pipelines.warehouse import connect


def attempt(role: str, statement: str) -> None:
    with connect() as conn, conn.cursor() as cur:
        cur.execute(f"SET ROLE {role}")
        cur.execute(statement)


@pytest.fixture(scope="module", autouse=True)
def one_person():
    with connect() as conn, conn.cursor() as cur:
        cur.execute("""INSERT INTO warehouse.golden_record (person_id, nik, nama_lgkp, tgl_lhr, jenis_klmin, stat_hidup,
                       ektp_status, district_code, kecamatan_code, desa_code, first_seen, as_of,
                       source_export_date, source_district_code, source_row)
                       VALUES ('PTEST', '3601011505800001', 'SUKARDI', '1980-05-15', '1', '1', '8', '3601',
                               '360101', '3601012001', '2026-11-26', '2026-11-26', '2026-11-26', '3601', 1)
                       ON CONFLICT DO NOTHING""")


@pytest.mark.parametrize("role, statement", [
    ("analyst", "SELECT * FROM warehouse.person"),
    ("analyst", "SELECT * FROM quarantine.record"),
    ("analyst", "SELECT * FROM staging.resident"),
    ("analyst", "DELETE FROM mart.ektp_coverage"),
    ("bapenda_reader", "SELECT * FROM warehouse.person"),
    ("bapenda_reader", "SELECT * FROM mart.ektp_coverage"),
    ("bapenda_reader", "SELECT * FROM analyst.person"),
    ("bapenda_reader", "SELECT * FROM audit.file_load"),
    ("etl_writer", "DROP TABLE warehouse.golden_record"),
    ("etl_writer", "CREATE TABLE warehouse.sneaky (x int)"),
    ("etl_writer", "CREATE ROLE sneaky"),
])
def test_role_is_refused(role, statement):
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        attempt(role, statement)


def test_analyst_sees_masked_niks_only():
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SET ROLE analyst")
        cur.execute("SELECT nik_masked FROM analyst.person WHERE person_id = 'PTEST'")
        assert cur.fetchone()[0] == "3601********0001"
        cur.execute("SELECT count(*) FROM mart.ektp_coverage")


def test_etl_writer_can_do_its_job():
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SET ROLE etl_writer")
        cur.execute("UPDATE warehouse.golden_record SET as_of = as_of WHERE person_id = 'PTEST'")
        cur.execute("SELECT nextval('warehouse.person_seq')")
        conn.rollback()
