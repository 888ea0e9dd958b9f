-- Golden records of the persons tonight touched (touched_persons/), from
-- their winning record of the night (night_winner/): identity and
-- residence from it; the optional attributes keep the most recent non-empty
-- value, and kept_attribute_source names the record of each value kept from
-- an earlier one (warehouse.person shows every attribute's source).
-- A first night (not %(touched)s) fills an empty table by a plain insert: the
-- upsert's speculative insertion cost half as much again (14 s against 9 s a
-- million rows). The upsert still names the key, which stays for it to plan.
WITH golden AS (
    SELECT person_id, nik, nama_lgkp, tgl_lhr, jenis_klmin, tmpt_lhr, stat_kwn, stat_hidup,
           ektp_current_status_code AS ektp_status, district_code, kecamatan_code, desa_code, alamat, no_rt,
           no_rw, export_date AS first_seen, export_date AS as_of, NULL::date AS delisted_on,
           export_date AS source_export_date, district_code AS source_district_code, source_row
    FROM night_winner
), filled AS (
    INSERT INTO warehouse.golden_record (
        person_id, nik, nama_lgkp, tgl_lhr, jenis_klmin, tmpt_lhr, stat_kwn, stat_hidup, ektp_status,
        district_code, kecamatan_code, desa_code, alamat, no_rt, no_rw, first_seen, as_of, delisted_on,
        source_export_date, source_district_code, source_row)
    SELECT * FROM golden WHERE NOT %(touched)s
)
INSERT INTO warehouse.golden_record AS p (
    person_id, nik, nama_lgkp, tgl_lhr, jenis_klmin, tmpt_lhr, stat_kwn, stat_hidup, ektp_status,
    district_code, kecamatan_code, desa_code, alamat, no_rt, no_rw, first_seen, as_of, delisted_on,
    source_export_date, source_district_code, source_row)
SELECT * FROM golden WHERE %(touched)s
ON CONFLICT (person_id) DO UPDATE SET
    nik = EXCLUDED.nik, nama_lgkp = EXCLUDED.nama_lgkp, tgl_lhr = EXCLUDED.tgl_lhr,
    jenis_klmin = EXCLUDED.jenis_klmin, stat_hidup = EXCLUDED.stat_hidup, ektp_status = EXCLUDED.ektp_status,
    district_code = EXCLUDED.district_code, kecamatan_code = EXCLUDED.kecamatan_code,
    desa_code = EXCLUDED.desa_code,
    tmpt_lhr = coalesce(EXCLUDED.tmpt_lhr, p.tmpt_lhr), stat_kwn = coalesce(EXCLUDED.stat_kwn, p.stat_kwn),
    alamat = coalesce(EXCLUDED.alamat, p.alamat), no_rt = coalesce(EXCLUDED.no_rt, p.no_rt),
    no_rw = coalesce(EXCLUDED.no_rw, p.no_rw),
    -- An attribute tonight's record leaves empty keeps its value, and that
    -- value's source: the one it was kept from, else the record it came with.
    kept_attribute_source = warehouse.kept_sources(p, EXCLUDED.tmpt_lhr, EXCLUDED.stat_kwn, EXCLUDED.alamat,
                                                   EXCLUDED.no_rt, EXCLUDED.no_rw),
    first_seen = LEAST(p.first_seen, EXCLUDED.first_seen), as_of = EXCLUDED.as_of, delisted_on = NULL,
    source_export_date = EXCLUDED.source_export_date, source_district_code = EXCLUDED.source_district_code,
    source_row = EXCLUDED.source_row
WHERE p.as_of <= EXCLUDED.as_of;  -- a late file of an older night does not move anyone back
