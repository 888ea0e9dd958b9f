-- Least-privilege roles (docs/contract/interfaces.md). Roles are cluster-wide,
-- so they are created only when missing; grants are per database.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'etl_writer') THEN CREATE ROLE etl_writer NOLOGIN; END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'analyst') THEN CREATE ROLE analyst NOLOGIN; END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bapenda_reader') THEN CREATE ROLE bapenda_reader NOLOGIN; END IF;
END $$;

-- etl_writer: read and write the pipeline's tables; no DDL, no role changes.
GRANT USAGE ON SCHEMA staging, warehouse, quarantine, audit, mart TO etl_writer;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA staging, warehouse, quarantine, audit, mart TO etl_writer;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA staging, warehouse, quarantine, audit, mart TO etl_writer;
ALTER DEFAULT PRIVILEGES IN SCHEMA staging, warehouse, quarantine, audit, mart
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO etl_writer;
ALTER DEFAULT PRIVILEGES IN SCHEMA staging, warehouse, quarantine, audit, mart
    GRANT USAGE, SELECT ON SEQUENCES TO etl_writer;

-- analyst: marts, and the warehouse only through views that mask NIKs.
CREATE SCHEMA IF NOT EXISTS analyst;
CREATE FUNCTION analyst.mask_nik(nik text) RETURNS text LANGUAGE sql IMMUTABLE STRICT
    RETURN left(nik, 4) || repeat('*', greatest(length(nik) - 8, 0)) || right(nik, 4);

CREATE VIEW analyst.person AS
SELECT person_id, analyst.mask_nik(nik) AS nik_masked, tgl_lhr, jenis_klmin, stat_kwn, stat_hidup, ektp_status,
       district_code, kecamatan_code, desa_code, first_seen, last_seen
FROM warehouse.person;

CREATE VIEW analyst.record_identity AS
SELECT export_date, district_code, source_row, analyst.mask_nik(nik) AS nik_masked, person_id
FROM warehouse.record_identity;

CREATE VIEW analyst.file_load AS
SELECT export_date, district_code, status, rows_read, rows_loaded, rows_quarantined, warnings, reason, loaded_at
FROM audit.file_load;

GRANT USAGE ON SCHEMA analyst, mart TO analyst;
GRANT SELECT ON ALL TABLES IN SCHEMA analyst, mart TO analyst;
GRANT EXECUTE ON FUNCTION analyst.mask_nik(text) TO analyst;
ALTER DEFAULT PRIVILEGES IN SCHEMA mart GRANT SELECT ON TABLES TO analyst;

-- bapenda_reader: the shared match results and nothing else.
CREATE SCHEMA IF NOT EXISTS bapenda;
REVOKE ALL ON SCHEMA bapenda FROM PUBLIC;
GRANT USAGE ON SCHEMA bapenda TO bapenda_reader, etl_writer;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA bapenda TO etl_writer;
ALTER DEFAULT PRIVILEGES IN SCHEMA bapenda GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO etl_writer;

-- PUBLIC gets nothing in the schemas that hold personal data.
REVOKE ALL ON SCHEMA staging, warehouse, quarantine, audit FROM PUBLIC;
