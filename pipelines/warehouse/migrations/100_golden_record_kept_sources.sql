-- A golden record named the source record of each optional attribute, five
-- times over, although nearly always all five came from its own source record
-- (source_export_date, source_district_code, source_row): 520 of its 697 bytes.
-- At 12.9 M that made golden_record 10 GB, which an ordinary night reads at
-- random (the touched persons' upserts: 229 k page reads, 27 s). Now only an
-- attribute kept from an earlier record names its source; warehouse.person
-- shows attribute_source as before. The rewrite below compacts the table.
DROP VIEW analyst.person;
DROP VIEW warehouse.person;

CREATE FUNCTION pg_temp.kept_only(sources jsonb, own jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE
RETURN (SELECT coalesce(jsonb_object_agg(key, value), '{}') FROM jsonb_each(sources) WHERE value <> own);
ALTER TABLE warehouse.golden_record RENAME COLUMN attribute_source TO kept_attribute_source;
ALTER TABLE warehouse.golden_record ALTER COLUMN kept_attribute_source TYPE jsonb USING pg_temp.kept_only(
    kept_attribute_source, jsonb_build_object('export_date', source_export_date, 'district_code', source_district_code,
                                              'source_row', source_row));

-- The golden record's own source, and each optional attribute's.
CREATE FUNCTION warehouse.attribute_source(g warehouse.golden_record) RETURNS jsonb LANGUAGE sql IMMUTABLE
RETURN (WITH own AS (SELECT jsonb_build_object('export_date', g.source_export_date,
                                                'district_code', g.source_district_code, 'source_row', g.source_row) AS s)
        SELECT jsonb_strip_nulls(jsonb_build_object(
                   'tmpt_lhr', CASE WHEN g.tmpt_lhr IS NOT NULL THEN coalesce(g.kept_attribute_source -> 'tmpt_lhr', s) END,
                   'stat_kwn', CASE WHEN g.stat_kwn IS NOT NULL THEN coalesce(g.kept_attribute_source -> 'stat_kwn', s) END,
                   'alamat', CASE WHEN g.alamat IS NOT NULL THEN coalesce(g.kept_attribute_source -> 'alamat', s) END,
                   'no_rt', CASE WHEN g.no_rt IS NOT NULL THEN coalesce(g.kept_attribute_source -> 'no_rt', s) END,
                   'no_rw', CASE WHEN g.no_rw IS NOT NULL THEN coalesce(g.kept_attribute_source -> 'no_rw', s) END))
        FROM own);

-- What a golden record keeps when a newer record leaves some of its optional
-- attributes empty: their values, and so their sources (refresh_person.sql).
CREATE FUNCTION warehouse.kept_sources(g warehouse.golden_record, tmpt_lhr text, stat_kwn text, alamat text,
                                       no_rt text, no_rw text) RETURNS jsonb LANGUAGE sql IMMUTABLE
RETURN warehouse.attribute_source(g) - array_remove(ARRAY[
    CASE WHEN tmpt_lhr IS NOT NULL THEN 'tmpt_lhr' END, CASE WHEN stat_kwn IS NOT NULL THEN 'stat_kwn' END,
    CASE WHEN alamat IS NOT NULL THEN 'alamat' END, CASE WHEN no_rt IS NOT NULL THEN 'no_rt' END,
    CASE WHEN no_rw IS NOT NULL THEN 'no_rw' END], NULL);

CREATE VIEW warehouse.person AS
SELECT g.person_id, g.nik, g.nama_lgkp, g.tgl_lhr, g.jenis_klmin, g.tmpt_lhr, g.stat_kwn, g.stat_hidup,
       g.ektp_status, g.district_code, g.kecamatan_code, g.desa_code, g.alamat, g.no_rt, g.no_rw, g.first_seen,
       CASE WHEN g.delisted_on IS NULL THEN greatest(l.latest, g.as_of) ELSE g.last_listed END AS last_seen,
       g.delisted_on, g.source_export_date, g.source_district_code, g.source_row,
       warehouse.attribute_source(g) AS attribute_source
FROM warehouse.golden_record g
LEFT JOIN (SELECT district_code, max(export_date) AS latest FROM audit.file_load
           WHERE status IN ('loaded', 'unchanged') GROUP BY district_code) l USING (district_code);

CREATE VIEW analyst.person AS
SELECT person_id, analyst.mask_nik(nik) AS nik_masked, tgl_lhr, jenis_klmin, stat_kwn, stat_hidup, ektp_status,
       district_code, kecamatan_code, desa_code, first_seen, last_seen, delisted_on
FROM warehouse.person;
GRANT SELECT ON analyst.person TO analyst;
