"""A small warehouse history for report tests: five nights over two districts,
one rejected district, hostile text in every free-text field a report shows."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines.nightly import build_marts
from pipelines.reports import write_report
from pipelines.warehouse import connect
from tests.integration.reports.residents import add_file_load, add_resident

NIGHTS = [dt.date(2041, 1, day) for day in range(1, 6)]
NIGHT = NIGHTS[-1]
HOSTILE_REASON = ("<script>alert('x')</script> =HYPERLINK(\"http://evil.example\") O'Brien\"; DROP TABLE x;-- "
                  "NIK 3601011505801234 " + "PANJANG" * 60)
HOSTILE_RULE = "<img src=x onerror=alert(1)>"
DESA = ("3601012001", "3601012002", "3602012001")  # Sumberjaya, Kertajaya (Pandeglang); Lebak


@pytest.fixture(scope="session")
def report_history():
    with connect() as conn, conn.cursor() as cur:
        for n, night in enumerate(NIGHTS):
            row = 0
            for d, desa in enumerate(DESA):
                if desa[:4] == "3602" and night == NIGHT:
                    continue  # Lebak's file is rejected that night: none of its rows are loaded
                # 20 wajib-KTP residents per desa; recorded grows a little each night.
                for i in range(20):
                    row += 1
                    recorded = i < 14 + 2 * d + (n if d == 0 else 0)
                    add_resident(cur, night, row, f"R-{desa}-{i}", desa=desa, ektp="8" if recorded else "2")
            build_marts(cur, night)
            add_file_load(cur, night, "3601", 41, quarantined=1)
            if night == NIGHT:
                add_file_load(cur, night, "3602", 20, status="rejected", reason=HOSTILE_REASON,
                              file_name="<b>3602</b>.csv")
                # Kota Cilegon's file never came: no file name (not the same as refused).
                add_file_load(cur, night, "3672", 0, status="rejected", reason="Berkas ekspor malam ini tidak diterima.")
                cur.execute("UPDATE audit.file_load SET file_name = NULL WHERE district_code = '3672'")
            else:
                add_file_load(cur, night, "3602", 20)
        cur.execute("INSERT INTO audit.rule_count VALUES (%s, '3601', 'nik_format', 'quarantine', 7),"
                    " (%s, '3601', %s, 'warn', 3), (%s, '3602', 'nik_format', 'quarantine', 1),"
                    " (%s, '3601', 'nik_birth_date', 'warn', 2), (%s, '3601', 'field_count', 'quarantine', 1)",
                    (NIGHT, NIGHT, HOSTILE_RULE, NIGHT, NIGHT, NIGHT))
    return NIGHT


@pytest.fixture(scope="session")
def report_path(report_history, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    (out / "data_docs").mkdir()
    (out / "data_docs" / "index.html").write_text("<html><body>Data Docs</body></html>")
    return write_report(report_history, out)
