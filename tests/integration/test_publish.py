"""Staging and publishing a night with the step functions: re-deliveries,
replacement of a loaded district-night, and hostile text kept intact."""

from __future__ import annotations

import datetime as dt
import json

from pipelines import nightly
from pipelines.warehouse import connect
from tests.rows import csv_text, valid_row, write_export

HOSTILE = "<script>alert('x')</script> =HYPERLINK(\"http://x\";\"y\") O'NEIL; DROP TABLE x;--"


def load(landing, night):
    outcome = nightly.stage_district(landing, night, "3601")
    nightly.resolve_identity(night)
    nightly.publish_night(night)
    return outcome


def rows_of(night) -> list[tuple]:
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT source_row, nama_lgkp FROM warehouse.resident_record WHERE export_date = %s"
                    " AND district_code = '3601' ORDER BY source_row", (night,))
        return cur.fetchall()


def file_load(night) -> tuple:
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT status, file_sha256, rows_read, rows_loaded, rows_quarantined FROM audit.file_load"
                    " WHERE export_date = %s AND district_code = '3601'", (night,))
        return cur.fetchone()


def test_same_file_again_is_unchanged_and_a_changed_file_replaces_the_night(tmp_path):
    night = dt.date(2026, 8, 1)
    folder = tmp_path / night.isoformat()
    write_export(folder, "3601", csv_text([valid_row(i) for i in range(1, 6)]))
    assert load(tmp_path, night)["status"] == "staged"
    first = file_load(night)
    assert first[0] == "loaded" and first[2:] == (5, 5, 0)

    assert load(tmp_path, night)["status"] == "unchanged"
    assert file_load(night)[0] == "unchanged" and file_load(night)[1:] == first[1:]
    assert len(rows_of(night)) == 5

    # The district sends a corrected export for the same night: it replaces the old one whole.
    write_export(folder, "3601", csv_text([valid_row(i, NAMA_LGKP=f"DIPERBAIKI {i}") for i in range(1, 4)]))
    assert load(tmp_path, night)["status"] == "staged"
    assert rows_of(night) == [(1, "DIPERBAIKI 1"), (2, "DIPERBAIKI 2"), (3, "DIPERBAIKI 3")]
    assert file_load(night)[0] == "loaded" and file_load(night)[1] != first[1]


def test_rejected_redelivery_keeps_the_loaded_night(tmp_path):
    night = dt.date(2026, 8, 2)
    folder = tmp_path / night.isoformat()
    write_export(folder, "3601", csv_text([valid_row(i) for i in range(1, 4)]))
    load(tmp_path, night)
    write_export(folder, "3601", b"\x81\x8d\xff not a csv")
    assert load(tmp_path, night)["status"] == "rejected"
    assert len(rows_of(night)) == 3 and file_load(night)[0] == "loaded"
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT status FROM audit.load_attempt WHERE export_date = %s ORDER BY attempt_id", (night,))
        assert [status for (status,) in cur.fetchall()] == ["staged", "rejected"]


def test_hostile_name_is_stored_exactly_and_reported_escaped(tmp_path):
    from pipelines.reports import write_report

    night = dt.date(2026, 8, 3)
    write_export(tmp_path / night.isoformat(), "3601",
                 csv_text([valid_row(1, NAMA_LGKP=HOSTILE[:60], ALAMAT=HOSTILE)] +
                          [valid_row(i) for i in range(2, 40)]))
    assert load(tmp_path, night)["rows_loaded"] == 39
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT nama_lgkp, alamat FROM warehouse.resident_record WHERE export_date = %s"
                    " AND source_row = 1", (night,))
        assert cur.fetchone() == (HOSTILE[:60], HOSTILE)
    html = write_report(night, tmp_path / "report").read_text(encoding="utf-8")
    assert "<script>alert" not in html


def test_manifest_row_count_disagreeing_rejects_the_file(tmp_path):
    from tests.rows import manifest_for

    night = dt.date(2026, 8, 4)
    folder = tmp_path / night.isoformat()
    path = write_export(folder, "3601", csv_text([valid_row(i) for i in range(1, 4)]))
    manifest = manifest_for(path, "3601", night.isoformat(), row_count=5)
    (folder / "3601.manifest.json").write_text(json.dumps(manifest))
    outcome = load(tmp_path, night)
    assert outcome["status"] == "rejected" and "manifest (5)" in outcome["reason"]
    assert rows_of(night) == []


def test_golden_record_keeps_the_latest_non_empty_value_with_its_source(tmp_path):
    first, second = dt.date(2026, 8, 10), dt.date(2026, 8, 11)
    person = {"NIK": "3601011505809001", "NO_KK": "3601012001109001", "NAMA_LGKP": "JAJANG SUPRIATNA"}
    write_export(tmp_path / first.isoformat(), "3601", csv_text([valid_row(1, ALAMAT="KP. LAMA", **person)]))
    write_export(tmp_path / second.isoformat(), "3601",
                 csv_text([valid_row(1, ALAMAT="", NO_RT="005", **person)]))
    load(tmp_path, first)
    load(tmp_path, second)
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT alamat, no_rt, last_seen, attribute_source FROM warehouse.person WHERE nik = %s",
                    (person["NIK"],))
        alamat, no_rt, last_seen, source = cur.fetchone()
    # Listed on the district's newest night (other tests load later nights of 3601).
    assert (alamat, no_rt) == ("KP. LAMA", "005") and last_seen >= second
    assert source["alamat"]["export_date"] == first.isoformat()
    assert source["no_rt"]["export_date"] == second.isoformat()


def _filled_indexes() -> list[str]:
    """Indexes and key constraints of the tables a first night fills from empty."""
    with connect() as conn, conn.cursor() as cur:
        cur.execute("""SELECT indexdef FROM pg_indexes WHERE schemaname = 'warehouse' AND tablename IN
                           ('identity_node', 'golden_record', 'person_residence', 'person_winner')
                       UNION ALL
                       SELECT format('%s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
                       FROM pg_constraint WHERE conrelid = ANY(ARRAY['warehouse.identity_node',
                           'warehouse.golden_record', 'warehouse.person_residence', 'warehouse.person_winner']::regclass[])
                       ORDER BY 1""")
        return [row[0] for row in cur.fetchall()]


def test_first_night_builds_again_the_indexes_it_fills_without(tmp_path, own_warehouse):
    # A first night drops the secondary indexes of the tables it fills from empty,
    # and the keys of those it fills by plain inserts, and builds them after the
    # load (pipelines/warehouse/publish.py, indexes.py).
    migrated = _filled_indexes()
    assert len(migrated) == 14 + 4  # the keys twice: as indexes and as constraints
    night = dt.date(2026, 8, 10)
    names = ["ASEP SAEPUDIN", "BUDI SANTOSO", "CICIH SUKAESIH", "DADANG HERMAWAN", "EUIS KOMALASARI"]
    rows = [valid_row(i, NAMA_LGKP=name, NAMA_LGKP_IBU=f"IBU {name}") for i, name in enumerate(names, 1)]
    write_export(tmp_path / night.isoformat(), "3601", csv_text(rows))
    load(tmp_path, night)
    assert _filled_indexes() == migrated
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM warehouse.golden_record")
        assert cur.fetchone()[0] == 5


def test_a_person_no_loaded_file_lists_any_more_is_delisted(tmp_path, own_warehouse):
    # B leaves the register. C moved to Lebak (3602), still listed by Pandeglang
    # the first night; the second night Pandeglang drops the old record, and
    # Lebak's file does not arrive: C is not delisted on a night their district
    # was not loaded.
    first, second = dt.date(2026, 9, 1), dt.date(2026, 9, 2)
    a, b = valid_row(1, NAMA_LGKP="ASEP TETAP"), valid_row(2, NAMA_LGKP="BUDI PERGI")
    c_old = valid_row(3, NAMA_LGKP="CECEP PINDAH", TGL_UBAH="2020-01-01")
    c_new = {**c_old, "NO_KAB": "02", "NO_KEC": "01", "NO_KEL": "2002", "TGL_UBAH": "2026-08-01"}
    write_export(tmp_path / first.isoformat(), "3601", csv_text([a, b, c_old]))
    write_export(tmp_path / first.isoformat(), "3602", csv_text([c_new]))
    write_export(tmp_path / second.isoformat(), "3601", csv_text([a]))
    for night in (first, second):
        for district in ("3601", "3602"):
            nightly.stage_district(tmp_path, night, district)
        nightly.resolve_identity(night)
        nightly.publish_night(night)
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT nama_lgkp, district_code, delisted_on, last_listed FROM warehouse.golden_record"
                    " ORDER BY nama_lgkp")
        assert cur.fetchall() == [("ASEP TETAP", "3601", None, None), ("BUDI PERGI", "3601", second, first),
                                  ("CECEP PINDAH", "3602", None, None)]


def test_golden_records_migrated_to_kept_sources_show_the_same_sources(tmp_path, own_warehouse):
    # Migration 100 keeps only the sources of attributes kept from an earlier
    # record; warehouse.person must show every golden record's sources as before.
    from pipelines.warehouse import schema

    with connect() as conn, conn.cursor() as cur:
        cur.execute("DELETE FROM audit.schema_migration WHERE version = 100")
        cur.execute("DROP VIEW analyst.person, warehouse.person")
        cur.execute("DROP FUNCTION warehouse.kept_sources, warehouse.attribute_source")
        cur.execute("ALTER TABLE warehouse.golden_record RENAME COLUMN kept_attribute_source TO attribute_source")
        # The views as migration 100 finds them (it drops and makes them again).
        cur.execute("CREATE VIEW warehouse.person AS SELECT * FROM warehouse.golden_record")
        cur.execute("CREATE VIEW analyst.person AS SELECT person_id FROM warehouse.person")
        own = {"export_date": "2026-08-11", "district_code": "3601", "source_row": 4}
        older = {"export_date": "2026-08-10", "district_code": "3602", "source_row": 9}
        sources = {"alamat": older, "no_rt": own, "tmpt_lhr": own}
        cur.execute("""INSERT INTO warehouse.golden_record (person_id, nik, nama_lgkp, tgl_lhr, jenis_klmin, tmpt_lhr,
                           stat_hidup, ektp_status, district_code, kecamatan_code, desa_code, alamat, no_rt,
                           first_seen, as_of, source_export_date, source_district_code, source_row, attribute_source)
                       VALUES ('P-MIGRATED', '3601011505809009', 'UJI MIGRASI', '1980-05-15', '1', 'SERANG', '1',
                               '4', '3601', '360101', '3601012001', 'KP. LAMA', '005', '2026-08-10', '2026-08-11',
                               '2026-08-11', '3601', 4, %s)""", (json.dumps(sources),))
    assert schema.migrate() == ["100_golden_record_kept_sources.sql"]
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT kept_attribute_source FROM warehouse.golden_record WHERE person_id = 'P-MIGRATED'")
        assert cur.fetchone()[0] == {"alamat": older}
        cur.execute("SELECT attribute_source FROM warehouse.person WHERE person_id = 'P-MIGRATED'")
        assert cur.fetchone()[0] == sources


def _staged() -> dict[str, int]:
    """Rows each staging table holds, and the file of staging.resident (TRUNCATE gives it a new one)."""
    with connect() as conn, conn.cursor() as cur:
        cur.execute("""SELECT (SELECT count(*) FROM staging.load), (SELECT count(*) FROM staging.resident),
                              (SELECT count(*) FROM staging.identity_node),
                              pg_relation_filenode('staging.resident')""")
        return dict(zip(["load", "resident", "identity_node", "file"], cur.fetchone()))


def test_publishing_a_night_keeps_another_night_staged_and_empties_staging_when_it_is_the_last(
        tmp_path, own_warehouse):
    # Staging is truncated after publishing where it holds no other night
    # (pipelines/warehouse/staging.py); a night staged beside it is kept.
    first, second = dt.date(2026, 9, 10), dt.date(2026, 9, 11)
    write_export(tmp_path / first.isoformat(), "3601", csv_text([valid_row(i) for i in range(1, 4)]))
    write_export(tmp_path / second.isoformat(), "3601", csv_text([valid_row(i) for i in range(1, 6)]))
    for night in (first, second):
        nightly.stage_district(tmp_path, night, "3601")
        nightly.resolve_identity(night)
    assert (_staged()["resident"], _staged()["identity_node"]) == (3 + 5, 3 + 5)
    nightly.publish_night(second)
    kept = _staged()
    assert (kept["load"], kept["resident"], kept["identity_node"]) == (1, 3, 3)
    nightly.publish_night(first)
    emptied = _staged()
    assert (emptied["load"], emptied["resident"], emptied["identity_node"]) == (0, 0, 0)
    assert emptied["file"] != kept["file"]
    assert [len(rows_of(night)) for night in (first, second)] == [3, 5]
