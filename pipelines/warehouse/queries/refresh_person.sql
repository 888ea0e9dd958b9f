-- Golden records of everyone listed on a night, from their winning record of
-- that night (see warehouse.person_night). A rerun of an older night never
-- overwrites what a newer night said.
INSERT INTO warehouse.person AS p (
    person_id, nik, nama_lgkp, tgl_lhr, jenis_klmin, tmpt_lhr, stat_kwn, stat_hidup, ektp_status,
    district_code, kecamatan_code, desa_code, alamat, no_rt, no_rw, first_seen, last_seen,
    source_export_date, source_district_code, source_row)
SELECT person_id, nik, nama_lgkp, tgl_lhr, jenis_klmin, tmpt_lhr, stat_kwn, stat_hidup,
       ektp_current_status_code, district_code, kecamatan_code, desa_code, alamat, no_rt, no_rw,
       export_date, export_date, export_date, district_code, source_row
FROM warehouse.person_night
WHERE export_date = %(night)s
ON CONFLICT (person_id) DO UPDATE SET
    nik = EXCLUDED.nik, nama_lgkp = EXCLUDED.nama_lgkp, tgl_lhr = EXCLUDED.tgl_lhr,
    jenis_klmin = EXCLUDED.jenis_klmin, tmpt_lhr = EXCLUDED.tmpt_lhr, stat_kwn = EXCLUDED.stat_kwn,
    stat_hidup = EXCLUDED.stat_hidup, ektp_status = EXCLUDED.ektp_status,
    district_code = EXCLUDED.district_code, kecamatan_code = EXCLUDED.kecamatan_code,
    desa_code = EXCLUDED.desa_code, alamat = EXCLUDED.alamat, no_rt = EXCLUDED.no_rt, no_rw = EXCLUDED.no_rw,
    first_seen = LEAST(p.first_seen, EXCLUDED.first_seen), last_seen = EXCLUDED.last_seen,
    source_export_date = EXCLUDED.source_export_date, source_district_code = EXCLUDED.source_district_code,
    source_row = EXCLUDED.source_row
WHERE p.last_seen <= EXCLUDED.last_seen;
