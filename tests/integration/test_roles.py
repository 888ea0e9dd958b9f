"""Least privilege: each role is tried, through a real login that is a member of
it, on what it must not do and on what it must. (Two whole nights as the
nightly login, and NIK reconstruction by analyst: test_least_privilege.py.)"""

from __future__ import annotations

import psycopg2
import pytest

from pipelines.warehouse import connect
from tests.logins import drop_login, member_login

ROLES = ("analyst", "bapenda_reader", "etl_writer")


@pytest.fixture(scope="module")
def logins(warehouse):
    made = {role: member_login(role, warehouse) for role in ROLES}
    yield made
    for url in made.values():
        drop_login(url)


@pytest.fixture
def attempt(logins):
    def run(role: str, statement: str) -> None:
        with connect(logins[role]) as conn, conn.cursor() as cur:
            cur.execute(statement)
    return run


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
    ("etl_writer", "SELECT * FROM audit.pseudonym_key"),
    ("etl_writer", "DROP INDEX warehouse.person_nik"),
    ("etl_writer", "SELECT warehouse.set_indexes_aside(ARRAY['audit.file_load'], true)"),
    ("analyst", "SELECT warehouse.analyze_tables(ARRAY['warehouse.person'])"),
])
def test_role_is_refused(attempt, role, statement):
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        attempt(role, statement)


def test_analyst_sees_masked_niks_only(logins):
    with connect(logins["analyst"]) as conn, conn.cursor() as cur:
        cur.execute("SELECT nik_masked, birth_year, length(nik_pseudonym) FROM analyst.person"
                    " WHERE person_id = 'PTEST'")
        assert cur.fetchone() == ("3601************", 1980, 64)
        cur.execute("SELECT count(*) FROM mart.ektp_coverage")


def test_etl_writer_can_do_its_job(logins):
    with connect(logins["etl_writer"]) as conn, conn.cursor() as cur:
        cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cur.fetchone() == (False,)
        cur.execute("UPDATE warehouse.golden_record SET as_of = as_of WHERE person_id = 'PTEST'")
        cur.execute("SELECT nextval('warehouse.person_seq')")
        cur.execute("SELECT warehouse.analyze_tables(ARRAY['warehouse.golden_record'])")
        cur.execute("SELECT warehouse.set_indexes_aside(ARRAY['warehouse.person_winner'], true)")
        cur.execute("SELECT warehouse.restore_indexes(ARRAY['warehouse.person_winner'])")
        cur.execute("SELECT count(*) FROM pg_indexes WHERE schemaname = 'warehouse' AND tablename = 'person_winner'")
        assert cur.fetchone()[0] > 0
        conn.rollback()
