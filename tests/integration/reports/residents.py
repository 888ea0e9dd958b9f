"""Warehouse rows written directly, for report and mart tests that need exact,
hand-picked residents rather than a whole pipeline run."""

from __future__ import annotations

import datetime as dt

DESA = "3601012001"  # Sumberjaya, Kec. Sumur, Kab. Pandeglang


def add_resident(cur, night: dt.date, source_row: int, person_id: str, *, nik: str | None = None,
                 desa: str = DESA, born: dt.date = dt.date(1980, 5, 15), stat_kwn: str = "2",
                 alive: bool = True, ektp: str = "8", name: str = "SUKARDI", alamat: str = "KP. SUMBERJAYA",
                 changed: dt.date = dt.date(2012, 3, 1)) -> None:
    """One accepted record of `desa`'s district on `night`, resolved to `person_id`."""
    district = desa[:4]
    nik = nik or f"{desa[:6]}150580{source_row:04d}"
    cur.execute(
        """INSERT INTO warehouse.record_version (district_code, row_hash, occurrence, first_night, source_row, node_id,
               nik, no_kk, nama_lgkp, jenis_klmin, tgl_lhr, stat_kwn, alamat, no_rt, no_rw, no_prop, no_kab, no_kec,
               no_kel, stat_hidup, ektp_current_status_code, tgl_entri, tgl_ubah)
           VALUES (%s, md5(%s)::uuid, 1, %s, %s, %s, %s, %s, %s, '1', %s, %s, %s, '001', '002', %s, %s, %s, %s, %s,
                   %s, '2010-01-20', %s)
           RETURNING version_id""",
        (district, f"{night}|{district}|{source_row}", night, source_row, f"node-{person_id}", nik,
         f"{desa[:6]}2001100001", name, born, stat_kwn, alamat, desa[:2], desa[2:4], desa[4:6], desa[6:],
         "1" if alive else "2", ektp, changed))
    version = cur.fetchone()[0]
    cur.execute("""INSERT INTO warehouse.identity_node (node_id, person_id, first_night) VALUES (%s, %s, %s)
                   ON CONFLICT DO NOTHING""", (f"node-{person_id}", person_id, night))
    # The night's file, as versions in row order (see pipelines/warehouse/history.py).
    cur.execute("""INSERT INTO warehouse.night_record AS n (export_date, district_code, version_ids)
                   VALUES (%(night)s, %(district)s, array_fill(NULL::bigint, ARRAY[%(row)s]))
                   ON CONFLICT (export_date, district_code) DO NOTHING""",
                {"night": night, "district": district, "row": source_row})
    cur.execute("""UPDATE warehouse.night_record SET version_ids[%s] = %s
                   WHERE export_date = %s AND district_code = %s""", (source_row, version, night, district))


def add_file_load(cur, night: dt.date, district: str, rows: int, *, quarantined: int = 0, status: str = "loaded",
                  reason: str | None = None, file_name: str | None = None) -> None:
    loaded = 0 if status == "rejected" else rows - quarantined
    cur.execute(
        """INSERT INTO audit.file_load (export_date, district_code, file_name, file_sha256, status, rows_read,
               rows_loaded, rows_quarantined, reason) VALUES (%s, %s, %s, 'x', %s, %s, %s, %s, %s)""",
        (night, district, file_name or f"{district}.csv", status, rows, loaded,
         0 if status == "rejected" else quarantined, reason))
