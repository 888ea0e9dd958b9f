-- History without copies (issue 7). Storing every district's register in full
-- each night grows by 12.9 M rows a night and makes an ordinary night rewrite
-- the province. Instead:
--   warehouse.record_version  each distinct record once (content-addressed by
--                             the md5 of its exported text, per district);
--   warehouse.night_record    per night and district, the file as a list of
--                             versions in row order (NULL: row quarantined).
-- An ordinary night stores only its new or changed records plus one array per
-- district. Any night, loaded in any order or re-delivered, keeps showing
-- exactly its own file, with its own row numbers.

-- The node a record belongs to: the md5 of its identifying attributes as
-- exported (see pipelines/identity). One definition for SQL and Python.
CREATE FUNCTION warehouse.node_id_of(nik text, no_kk text, nama_lgkp text, jenis_klmin text, tmpt_lhr text,
                                     tgl_lhr date, nama_lgkp_ibu text, nama_lgkp_ayah text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN md5(concat_ws('|', coalesce(nik, ''), coalesce(no_kk, ''), coalesce(nama_lgkp, ''),
                     coalesce(jenis_klmin, ''), coalesce(tmpt_lhr, ''), coalesce(to_char(tgl_lhr, 'YYYY-MM-DD'), ''),
                     coalesce(nama_lgkp_ibu, ''), coalesce(nama_lgkp_ayah, '')));

CREATE TABLE warehouse.record_version (
    version_id bigserial PRIMARY KEY,
    district_code text NOT NULL,
    row_hash uuid NOT NULL,    -- md5 of the record's text as exported
    occurrence int NOT NULL,   -- 1, or n for the n-th identical line of one file
    first_night date NOT NULL,
    source_row int NOT NULL,   -- its row in the first_night file
    node_id text NOT NULL,     -- identity node (warehouse.identity_node), which names the person
    nik text NOT NULL, no_kk text NOT NULL, nama_lgkp text NOT NULL, jenis_klmin text NOT NULL,
    tmpt_lhr text, tgl_lhr date NOT NULL, gol_drh text, agama text, stat_kwn text, stat_hbkel text,
    pddk_akh text, jenis_pkrjn text, nama_lgkp_ibu text, nama_lgkp_ayah text, alamat text,
    no_rt text, no_rw text, no_prop text NOT NULL, no_kab text NOT NULL, no_kec text NOT NULL,
    no_kel text NOT NULL, stat_hidup text NOT NULL, ektp_current_status_code text NOT NULL,
    ektp_created_date date, tgl_entri date, tgl_ubah date,
    kecamatan_code text GENERATED ALWAYS AS (no_prop || no_kab || no_kec) STORED,
    desa_code text GENERATED ALWAYS AS (no_prop || no_kab || no_kec || no_kel) STORED,
    UNIQUE (district_code, row_hash, occurrence)
);
CREATE INDEX record_version_node ON warehouse.record_version (node_id);
CREATE INDEX record_version_kk ON warehouse.record_version (district_code, no_kk);  -- family rule

CREATE TABLE warehouse.night_record (
    export_date date NOT NULL,
    district_code text NOT NULL,
    version_ids bigint[] NOT NULL,  -- element i: the version of data row i
    PRIMARY KEY (export_date, district_code)
);

-- Existing history: one version per stored row (their exported text is gone,
-- so the first night after this migration sees every row as changed: validated
-- again, and found by node lookup without matching; later nights are
-- incremental).
CREATE TEMP TABLE migrated ON COMMIT DROP AS
SELECT nextval(pg_get_serial_sequence('warehouse.record_version', 'version_id')) AS version_id, r.*
FROM warehouse.resident_record r;
INSERT INTO warehouse.record_version (
    version_id, district_code, row_hash, occurrence, first_night, source_row, node_id,
    nik, no_kk, nama_lgkp, jenis_klmin, tmpt_lhr, tgl_lhr, gol_drh, agama, stat_kwn, stat_hbkel, pddk_akh,
    jenis_pkrjn, nama_lgkp_ibu, nama_lgkp_ayah, alamat, no_rt, no_rw, no_prop, no_kab, no_kec, no_kel,
    stat_hidup, ektp_current_status_code, ektp_created_date, tgl_entri, tgl_ubah)
SELECT version_id, district_code, md5(export_date || '|' || source_row)::uuid, 1, export_date, source_row,
       warehouse.node_id_of(nik, no_kk, nama_lgkp, jenis_klmin, tmpt_lhr, tgl_lhr, nama_lgkp_ibu, nama_lgkp_ayah),
       nik, no_kk, nama_lgkp, jenis_klmin, tmpt_lhr, tgl_lhr, gol_drh, agama, stat_kwn, stat_hbkel, pddk_akh,
       jenis_pkrjn, nama_lgkp_ibu, nama_lgkp_ayah, alamat, no_rt, no_rw, no_prop, no_kab, no_kec, no_kel,
       stat_hidup, ektp_current_status_code, ektp_created_date, tgl_entri, tgl_ubah
FROM migrated;
INSERT INTO warehouse.night_record (export_date, district_code, version_ids)
SELECT f.export_date, f.district_code, array_agg(m.version_id ORDER BY g.n)
FROM audit.file_load f
CROSS JOIN LATERAL generate_series(1, greatest(f.rows_read, 1)) AS g(n)
LEFT JOIN migrated m ON m.export_date = f.export_date AND m.district_code = f.district_code AND m.source_row = g.n
WHERE f.status IN ('loaded', 'unchanged')
GROUP BY f.export_date, f.district_code;

DROP VIEW fieldwork.ektp_worklist;
DROP VIEW warehouse.ektp_standing_night;
DROP VIEW warehouse.person_night;
DROP VIEW analyst.record_identity;
DROP VIEW analyst.person;
DROP TABLE warehouse.record_identity;
DROP TABLE warehouse.resident_record;

-- Every accepted record of every loaded night, as before, with the row number
-- of that night's file; person_id comes through the record's identity node.
CREATE VIEW warehouse.resident_record AS
SELECT n.export_date, n.district_code, r.source_row::int AS source_row, v.version_id, v.node_id, i.person_id,
       v.nik, v.no_kk, v.nama_lgkp, v.jenis_klmin, v.tmpt_lhr, v.tgl_lhr, v.gol_drh, v.agama, v.stat_kwn,
       v.stat_hbkel, v.pddk_akh, v.jenis_pkrjn, v.nama_lgkp_ibu, v.nama_lgkp_ayah, v.alamat, v.no_rt, v.no_rw,
       v.no_prop, v.no_kab, v.no_kec, v.no_kel, v.stat_hidup, v.ektp_current_status_code, v.ektp_created_date,
       v.tgl_entri, v.tgl_ubah, v.kecamatan_code, v.desa_code
FROM warehouse.night_record n
CROSS JOIN LATERAL unnest(n.version_ids) WITH ORDINALITY AS r(version_id, source_row)
JOIN warehouse.record_version v ON v.version_id = r.version_id
JOIN warehouse.identity_node i ON i.node_id = v.node_id;

CREATE VIEW warehouse.record_identity AS
SELECT export_date, district_code, source_row, nik, person_id FROM warehouse.resident_record;

-- Each person's record of a night: where several records of one night name the
-- same person (a mover still listed by the old district), the one changed last
-- wins, so a lagging old row never moves anyone back. (The nightly steps apply
-- the same rule through pipelines/warehouse/queries/night_winner.sql.)
CREATE VIEW warehouse.person_night AS
SELECT DISTINCT ON (export_date, person_id) *
FROM warehouse.resident_record
ORDER BY export_date, person_id, tgl_ubah DESC NULLS LAST, tgl_entri DESC NULLS LAST, district_code, source_row;

-- Wajib KTP and recorded, as in migration 020, now as functions so that the
-- coverage mart (which reads the night's winners planned for a province, see
-- pipelines/warehouse/queries/night_winner.sql) and this view share them.
CREATE FUNCTION warehouse.wajib_ktp(stat_hidup text, tgl_lhr date, stat_kwn text, night date) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN stat_hidup = '1' AND (tgl_lhr <= night - interval '17 years' OR stat_kwn IN ('2', '3', '4'));
CREATE FUNCTION warehouse.ektp_recorded(ektp_current_status_code text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ektp_current_status_code::int >= 3;

CREATE VIEW warehouse.ektp_standing_night AS
SELECT export_date, person_id, district_code, kecamatan_code, desa_code, nik, nama_lgkp, alamat, no_rt, no_rw,
       tgl_lhr, date_part('year', age(export_date, tgl_lhr))::int AS umur, ektp_current_status_code,
       warehouse.wajib_ktp(stat_hidup, tgl_lhr, stat_kwn, export_date) AS wajib_ktp,
       warehouse.ektp_recorded(ektp_current_status_code) AS recorded
FROM warehouse.person_night;

CREATE VIEW fieldwork.ektp_worklist AS
SELECT export_date, district_code, kecamatan_code, desa_code, repeat('*', length(nik) - 4) || right(nik, 4) AS nik_masked,
       nama_lgkp, alamat, no_rt, no_rw, umur, ektp_current_status_code
FROM warehouse.ektp_standing_night
WHERE wajib_ktp AND NOT recorded;
GRANT SELECT ON fieldwork.ektp_worklist TO field_officer;

-- Golden records are refreshed only for persons whose records changed (an
-- ordinary night touches ~1%), so last_seen can no longer be written for
-- everyone every night. The table keeps when each record was computed (as_of)
-- and, for a person no export lists any more, since when (delisted_on) and the
-- last night listed; warehouse.person shows last_seen as before.
ALTER TABLE warehouse.person RENAME TO golden_record;
ALTER TABLE warehouse.golden_record RENAME COLUMN last_seen TO as_of;
ALTER TABLE warehouse.golden_record ADD COLUMN delisted_on date, ADD COLUMN last_listed date;

CREATE VIEW warehouse.person AS
SELECT g.person_id, g.nik, g.nama_lgkp, g.tgl_lhr, g.jenis_klmin, g.tmpt_lhr, g.stat_kwn, g.stat_hidup,
       g.ektp_status, g.district_code, g.kecamatan_code, g.desa_code, g.alamat, g.no_rt, g.no_rw, g.first_seen,
       CASE WHEN g.delisted_on IS NULL THEN greatest(l.latest, g.as_of) ELSE g.last_listed END AS last_seen,
       g.delisted_on, g.source_export_date, g.source_district_code, g.source_row, g.attribute_source
FROM warehouse.golden_record g
LEFT JOIN (SELECT district_code, max(export_date) AS latest FROM audit.file_load
           WHERE status IN ('loaded', 'unchanged') GROUP BY district_code) l USING (district_code);

CREATE VIEW analyst.person AS
SELECT person_id, analyst.mask_nik(nik) AS nik_masked, tgl_lhr, jenis_klmin, stat_kwn, stat_hidup, ektp_status,
       district_code, kecamatan_code, desa_code, first_seen, last_seen, delisted_on
FROM warehouse.person;

CREATE VIEW analyst.record_identity AS
SELECT export_date, district_code, source_row, analyst.mask_nik(nik) AS nik_masked, person_id
FROM warehouse.record_identity;
GRANT SELECT ON analyst.person, analyst.record_identity TO analyst;

-- Persons per district of a night (at the residence of their winning record),
-- kept by the marts step: counting them through the views would read the
-- province again.
CREATE TABLE mart.district_persons (
    export_date date NOT NULL,
    district_code text NOT NULL,
    persons int NOT NULL,
    PRIMARY KEY (export_date, district_code)
);

-- Tonight's delta beside the staged rows. A load staged before this migration
-- has none: it is dropped and staged again by the next run.
DELETE FROM staging.load;
DROP TABLE staging.record_identity;  -- records name their person through their node now
ALTER TABLE staging.resident ADD COLUMN row_hash uuid NOT NULL, ADD COLUMN occurrence int NOT NULL;
ALTER TABLE staging.load
    ADD COLUMN rows_unchanged int NOT NULL DEFAULT 0,
    ADD COLUMN version_ids bigint[],         -- the file as versions, for warehouse.night_record
    ADD COLUMN changed_version_ids bigint[]; -- versions new tonight or gone since the night before
ALTER TABLE audit.file_load ADD COLUMN rows_unchanged int NOT NULL DEFAULT 0;
