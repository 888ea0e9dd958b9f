"""mart.ektp_coverage and its roll-ups on hand-picked residents: who is wajib
KTP, who counts as recorded, and that every human counts once, where they live."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines.nightly import build_marts
from pipelines.marts.night_over_night import night_over_night
from pipelines.warehouse import connect
from tests.integration.reports.residents import add_file_load, add_resident

NIGHT = dt.date(2040, 3, 1)
SUMUR = "3601012001"  # Kab. Pandeglang
MALINGPING = "3602012001"  # Kab. Lebak


@pytest.fixture(scope="module")
def coverage():
    with connect() as conn, conn.cursor() as cur:
        add_resident(cur, NIGHT, 1, "P-adult-recorded")
        add_resident(cur, NIGHT, 2, "P-adult-unrecorded", ektp="2")
        add_resident(cur, NIGHT, 3, "P-minor", born=dt.date(2025, 1, 1), stat_kwn="1", ektp="1")
        add_resident(cur, NIGHT, 4, "P-married-minor", born=dt.date(2024, 1, 1), stat_kwn="2", ektp="2")
        add_resident(cur, NIGHT, 5, "P-dead", alive=False, ektp="2")
        # Turns 17 exactly on the night: wajib from that day.
        add_resident(cur, NIGHT, 6, "P-17-today", born=dt.date(2023, 3, 1), stat_kwn="1", ektp="3")
        add_resident(cur, NIGHT, 7, "P-16", born=dt.date(2023, 3, 2), stat_kwn="1", ektp="1")
        # A mover still listed by the old district (Pandeglang) with an older change
        # date: counted once, in Lebak, where the newer record puts them.
        add_resident(cur, NIGHT, 8, "P-mover", ektp="2", changed=dt.date(2020, 1, 1))
        add_resident(cur, NIGHT, 1, "P-mover", desa=MALINGPING, ektp="2", changed=dt.date(2039, 1, 1))
        # One human under two NIKs, resolved to one person: counted once.
        add_resident(cur, NIGHT, 9, "P-double", nik="3601011505809999", ektp="2")
        add_resident(cur, NIGHT, 10, "P-double", nik="3601014505801234", ektp="2")
        build_marts(cur, NIGHT)
        cur.execute("SELECT desa_code, wajib_ktp, recorded FROM mart.ektp_coverage WHERE export_date = %s", (NIGHT,))
        return {desa: (wajib, recorded) for desa, wajib, recorded in cur.fetchall()}


def test_desa_counts_wajib_once_per_human(coverage):
    # Sumur: adult-recorded, adult-unrecorded, married minor, 17-today, double (once) = 5 wajib.
    assert coverage[SUMUR] == (5, 2)
    assert coverage[MALINGPING] == (1, 0)


def test_rollups_agree_with_desa():
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT wajib_ktp, recorded FROM mart.ektp_coverage_province WHERE export_date = %s", (NIGHT,))
        assert cur.fetchone() == (6, 2)
        cur.execute("SELECT district_code, wajib_ktp, recorded FROM mart.ektp_coverage_district"
                    " WHERE export_date = %s ORDER BY 1", (NIGHT,))
        assert cur.fetchall() == [("3601", 5, 2), ("3602", 1, 0)]
        cur.execute("SELECT kecamatan_code, wajib_ktp FROM mart.ektp_coverage_kecamatan WHERE export_date = %s"
                    " ORDER BY 1", (NIGHT,))
        assert cur.fetchall() == [("360101", 5), ("360201", 1)]


def test_refresh_is_idempotent(coverage):
    with connect() as conn, conn.cursor() as cur:
        build_marts(cur, NIGHT)
        cur.execute("SELECT sum(wajib_ktp) FROM mart.ektp_coverage WHERE export_date = %s", (NIGHT,))
        assert cur.fetchone()[0] == 6


def test_night_over_night_warns_on_large_swings():
    before, after = dt.date(2040, 4, 1), dt.date(2040, 4, 2)
    with connect() as conn, conn.cursor() as cur:
        for night, recorded in ((before, 50), (after, 48)):
            for row in range(1, 101):
                add_resident(cur, night, row, f"P-swing-{row}", ektp="8" if row <= recorded else "2")
            build_marts(cur, night)
        add_file_load(cur, before, "3601", 100)
        add_file_load(cur, after, "3601", 100)
        add_file_load(cur, before, "3602", 1000)
        add_file_load(cur, after, "3602", 1040)  # +4%: under the 5% limit
        add_file_load(cur, before, "3603", 1000)
        add_file_load(cur, after, "3603", 900, status="rejected", reason="Berkas kosong.")
        changes = {row["district_code"]: row for row in night_over_night(cur, after)}
    assert changes["3601"]["previous_night"] == before
    assert changes["3601"]["rows_change"] == 0 and changes["3601"]["recorded_change"] == pytest.approx(-0.04)
    assert changes["3601"]["warnings"] == ["Penduduk sudah rekam KTP-el turun 4,0% (50 → 48), batas 2%"]
    assert changes["3602"]["warnings"] == []
    assert changes["3603"]["rows_change"] == -1 and "Baris dimuat turun 100,0%" in changes["3603"]["warnings"][0]
    assert changes["3604"]["warnings"] == [] and changes["3604"]["rows_previous"] is None
