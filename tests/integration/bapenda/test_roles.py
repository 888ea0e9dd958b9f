"""bapenda_reader reads the shared results and nothing else."""

from __future__ import annotations

import psycopg2
import pytest

from pipelines.warehouse import connect


def _as_reader(statement: str):
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SET ROLE bapenda_reader")
        cur.execute(statement)
        return cur.fetchall()


@pytest.mark.parametrize("statement", [
    "SELECT * FROM warehouse.person", "SELECT * FROM warehouse.resident_record",
    "SELECT * FROM audit.bapenda_match_reason", "SELECT * FROM audit.bapenda_register_m",
    "SELECT * FROM analyst.person", "SELECT * FROM mart.ektp_coverage",
    "DELETE FROM bapenda.match_result", "INSERT INTO bapenda.match_run (run_id) VALUES ('x')"])
def test_reader_is_refused(statement):
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        _as_reader(statement)


def test_reader_reads_the_results(run):
    rows = _as_reader(f"SELECT status, kode_kab FROM bapenda.match_result WHERE run_id = '{run.run_id}'")
    assert len(rows) == run.rows
    assert _as_reader(f"SELECT rows FROM bapenda.match_run WHERE run_id = '{run.run_id}'") == [(run.rows,)]
