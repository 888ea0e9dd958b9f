-- e-KTP coverage read side: one definition of "wajib KTP" and "recorded" that
-- the coverage mart and the field worklist both read, roll-ups of the mart,
-- and the worklist behind its own role.

-- Each person's standing on a night, at the residence of their winning record
-- (warehouse.person_night), so a mover or a twice-listed person is one row.
-- Wajib KTP: alive and aged 17 or more at the night, or younger and ever
-- married (kawin, cerai hidup, cerai mati). Recorded: e-KTP status >= 3.
CREATE VIEW warehouse.ektp_standing_night AS
SELECT export_date, person_id, district_code, kecamatan_code, desa_code, nik, nama_lgkp, alamat, no_rt, no_rw,
       tgl_lhr, date_part('year', age(export_date, tgl_lhr))::int AS umur, ektp_current_status_code,
       stat_hidup = '1' AND (tgl_lhr <= export_date - interval '17 years' OR stat_kwn IN ('2', '3', '4'))
           AS wajib_ktp,
       ektp_current_status_code::int >= 3 AS recorded
FROM warehouse.person_night;

-- Roll-ups of mart.ektp_coverage. Views, not tables: the desa mart is small
-- (about 1,552 rows a night) and a view can never disagree with it.
CREATE VIEW mart.ektp_coverage_kecamatan AS
SELECT export_date, district_code, kecamatan_code, sum(wajib_ktp)::int AS wajib_ktp, sum(recorded)::int AS recorded
FROM mart.ektp_coverage
GROUP BY export_date, district_code, kecamatan_code;

CREATE VIEW mart.ektp_coverage_district AS
SELECT export_date, district_code, sum(wajib_ktp)::int AS wajib_ktp, sum(recorded)::int AS recorded
FROM mart.ektp_coverage
GROUP BY export_date, district_code;

CREATE VIEW mart.ektp_coverage_province AS
SELECT export_date, sum(wajib_ktp)::int AS wajib_ktp, sum(recorded)::int AS recorded
FROM mart.ektp_coverage
GROUP BY export_date;

-- The field teams' worklist: wajib-KTP residents not yet recorded, NIK masked
-- but for its last 4 digits. It holds names and addresses, so it lives in its
-- own schema: roles granted all of `mart` (analysts) do not see it.
CREATE SCHEMA IF NOT EXISTS fieldwork;
REVOKE ALL ON SCHEMA fieldwork FROM PUBLIC;

CREATE VIEW fieldwork.ektp_worklist AS
SELECT export_date, district_code, kecamatan_code, desa_code, repeat('*', length(nik) - 4) || right(nik, 4) AS nik_masked,
       nama_lgkp, alamat, no_rt, no_rw, umur, ektp_current_status_code
FROM warehouse.ektp_standing_night
WHERE wajib_ktp AND NOT recorded;

-- Roles are cluster-wide: created only when missing, and a concurrent creation
-- by another database's migration is not an error.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'field_officer') THEN
        CREATE ROLE field_officer NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END $$;

-- The view runs with its owner's rights, so field officers read the masked
-- worklist and nothing beneath it.
GRANT USAGE ON SCHEMA fieldwork TO field_officer;
GRANT SELECT ON fieldwork.ektp_worklist TO field_officer;
