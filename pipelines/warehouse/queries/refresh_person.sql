-- Golden records of everyone listed on a night. Identity and residence come
-- from their winning record of that night (see warehouse.person_night); the
-- optional attributes keep the most recent non-empty value, and
-- attribute_source says which record gave it. A rerun of an older night never
-- overwrites what a newer night said.
INSERT INTO warehouse.person AS p (
    person_id, nik, nama_lgkp, tgl_lhr, jenis_klmin, tmpt_lhr, stat_kwn, stat_hidup, ektp_status,
    district_code, kecamatan_code, desa_code, alamat, no_rt, no_rw, first_seen, last_seen,
    source_export_date, source_district_code, source_row, attribute_source)
SELECT person_id, nik, nama_lgkp, tgl_lhr, jenis_klmin, tmpt_lhr, stat_kwn, stat_hidup,
       ektp_current_status_code, district_code, kecamatan_code, desa_code, alamat, no_rt, no_rw,
       export_date, export_date, export_date, district_code, source_row,
       jsonb_strip_nulls(jsonb_build_object(
           'tmpt_lhr', CASE WHEN tmpt_lhr IS NOT NULL THEN source END,
           'stat_kwn', CASE WHEN stat_kwn IS NOT NULL THEN source END,
           'alamat', CASE WHEN alamat IS NOT NULL THEN source END,
           'no_rt', CASE WHEN no_rt IS NOT NULL THEN source END,
           'no_rw', CASE WHEN no_rw IS NOT NULL THEN source END))
FROM (SELECT *, jsonb_build_object('export_date', export_date, 'district_code', district_code,
                                   'source_row', source_row) AS source
      FROM warehouse.person_night
      WHERE export_date = %(night)s) night_record
ON CONFLICT (person_id) DO UPDATE SET
    nik = EXCLUDED.nik, nama_lgkp = EXCLUDED.nama_lgkp, tgl_lhr = EXCLUDED.tgl_lhr,
    jenis_klmin = EXCLUDED.jenis_klmin, stat_hidup = EXCLUDED.stat_hidup, ektp_status = EXCLUDED.ektp_status,
    district_code = EXCLUDED.district_code, kecamatan_code = EXCLUDED.kecamatan_code,
    desa_code = EXCLUDED.desa_code,
    tmpt_lhr = coalesce(EXCLUDED.tmpt_lhr, p.tmpt_lhr), stat_kwn = coalesce(EXCLUDED.stat_kwn, p.stat_kwn),
    alamat = coalesce(EXCLUDED.alamat, p.alamat), no_rt = coalesce(EXCLUDED.no_rt, p.no_rt),
    no_rw = coalesce(EXCLUDED.no_rw, p.no_rw),
    attribute_source = p.attribute_source || EXCLUDED.attribute_source,
    first_seen = LEAST(p.first_seen, EXCLUDED.first_seen), last_seen = EXCLUDED.last_seen,
    source_export_date = EXCLUDED.source_export_date, source_district_code = EXCLUDED.source_district_code,
    source_row = EXCLUDED.source_row
WHERE p.last_seen <= EXCLUDED.last_seen;
