-- The warehouse layout. Identifiers (NIK, NO_KK) and code lists stay text:
-- a NIK is a string of meaningful digits, never a number.
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS warehouse;
CREATE SCHEMA IF NOT EXISTS quarantine;
CREATE SCHEMA IF NOT EXISTS audit;
CREATE SCHEMA IF NOT EXISTS mart;

-- One attempt to load one district file of one night. Staging rows hang off it
-- until the night is published, then they are deleted.
CREATE TABLE staging.load (
    load_id          bigserial PRIMARY KEY,
    export_date      date NOT NULL,
    district_code    text NOT NULL,
    file_name        text,
    file_sha256      text,
    status           text NOT NULL CHECK (status IN ('staged', 'rejected', 'unchanged')),
    rows_read        int NOT NULL DEFAULT 0,
    rows_loaded      int NOT NULL DEFAULT 0,
    rows_quarantined int NOT NULL DEFAULT 0,
    warnings         int NOT NULL DEFAULT 0,  -- warnings raised on loaded rows (a row may carry several)
    reason           text,
    rule_counts      jsonb NOT NULL DEFAULT '[]',
    validation_result jsonb,  -- the GX result reduced to counts (no values), for Data Docs
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staging.resident (
    load_id bigint NOT NULL REFERENCES staging.load ON DELETE CASCADE,
    source_row int NOT NULL,
    nik text, no_kk text, nama_lgkp text, jenis_klmin text, tmpt_lhr text, tgl_lhr date,
    gol_drh text, agama text, stat_kwn text, stat_hbkel text, pddk_akh text, jenis_pkrjn text,
    nama_lgkp_ibu text, nama_lgkp_ayah text, alamat text, no_rt text, no_rw text,
    no_prop text, no_kab text, no_kec text, no_kel text, stat_hidup text,
    ektp_current_status_code text, ektp_created_date date, tgl_entri date, tgl_ubah date,
    PRIMARY KEY (load_id, source_row)
);

CREATE TABLE staging.quarantine (
    load_id bigint NOT NULL REFERENCES staging.load ON DELETE CASCADE,
    source_row int NOT NULL,
    reasons jsonb NOT NULL,
    raw_row text NOT NULL,
    PRIMARY KEY (load_id, source_row)
);

CREATE TABLE staging.record_identity (
    load_id bigint NOT NULL REFERENCES staging.load ON DELETE CASCADE,
    source_row int NOT NULL,
    person_id text NOT NULL,
    PRIMARY KEY (load_id, source_row)
);

-- Every accepted source record of every night: the history.
CREATE TABLE warehouse.resident_record (
    export_date date NOT NULL,
    district_code text NOT NULL,
    source_row int NOT NULL,
    nik text NOT NULL, no_kk text NOT NULL, nama_lgkp text NOT NULL, jenis_klmin text NOT NULL,
    tmpt_lhr text, tgl_lhr date NOT NULL, gol_drh text, agama text, stat_kwn text, stat_hbkel text,
    pddk_akh text, jenis_pkrjn text, nama_lgkp_ibu text, nama_lgkp_ayah text, alamat text,
    no_rt text, no_rw text, no_prop text NOT NULL, no_kab text NOT NULL, no_kec text NOT NULL,
    no_kel text NOT NULL, stat_hidup text NOT NULL, ektp_current_status_code text NOT NULL,
    ektp_created_date date, tgl_entri date, tgl_ubah date,
    kecamatan_code text GENERATED ALWAYS AS (no_prop || no_kab || no_kec) STORED,
    desa_code text GENERATED ALWAYS AS (no_prop || no_kab || no_kec || no_kel) STORED,
    PRIMARY KEY (export_date, district_code, source_row)
);
CREATE INDEX resident_record_nik ON warehouse.resident_record (nik);

CREATE SEQUENCE warehouse.person_seq;

CREATE TABLE warehouse.record_identity (
    export_date date NOT NULL,
    district_code text NOT NULL,
    source_row int NOT NULL,
    nik text NOT NULL,
    person_id text NOT NULL,
    PRIMARY KEY (export_date, district_code, source_row),
    FOREIGN KEY (export_date, district_code, source_row)
        REFERENCES warehouse.resident_record ON DELETE CASCADE
);
CREATE INDEX record_identity_person ON warehouse.record_identity (person_id, export_date);

-- The golden record: one row per human, from the newest export listing them.
CREATE TABLE warehouse.person (
    person_id text PRIMARY KEY,
    nik text NOT NULL,
    nama_lgkp text NOT NULL,
    tgl_lhr date NOT NULL,
    jenis_klmin text NOT NULL,
    tmpt_lhr text,
    stat_kwn text,
    stat_hidup text NOT NULL,
    ektp_status text NOT NULL,
    district_code text NOT NULL,
    kecamatan_code text NOT NULL,
    desa_code text NOT NULL,
    alamat text,
    no_rt text,
    no_rw text,
    first_seen date NOT NULL,
    last_seen date NOT NULL,
    source_export_date date NOT NULL,
    source_district_code text NOT NULL,
    source_row int NOT NULL,
    -- Where each optional attribute's value came from (export_date, district_code,
    -- source_row): a newer record that leaves it empty does not erase it.
    attribute_source jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX person_nik ON warehouse.person (nik);
CREATE INDEX person_desa ON warehouse.person (desa_code);

CREATE TABLE quarantine.record (
    export_date date NOT NULL,
    district_code text NOT NULL,
    source_row int NOT NULL,
    file_sha256 text NOT NULL,
    reasons jsonb NOT NULL,
    raw_row text NOT NULL,
    PRIMARY KEY (export_date, district_code, source_row)
);

-- The outcome of the latest delivery of each district file of a night.
CREATE TABLE audit.file_load (
    export_date date NOT NULL,
    district_code text NOT NULL,
    file_name text,
    file_sha256 text,
    status text NOT NULL CHECK (status IN ('loaded', 'rejected', 'unchanged')),
    rows_read int NOT NULL,
    rows_loaded int NOT NULL,
    rows_quarantined int NOT NULL,
    warnings int NOT NULL DEFAULT 0,
    reason text,
    loaded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (export_date, district_code),
    CHECK (status = 'rejected' OR rows_read = rows_loaded + rows_quarantined)
);

-- Append-only: every delivery ever attempted, whatever became of it.
CREATE TABLE audit.load_attempt (
    attempt_id bigserial PRIMARY KEY,
    export_date date NOT NULL,
    district_code text NOT NULL,
    file_name text,
    file_sha256 text,
    status text NOT NULL,
    rows_read int NOT NULL,
    rows_loaded int NOT NULL,
    rows_quarantined int NOT NULL,
    reason text,
    attempted_at timestamptz NOT NULL DEFAULT now()
);

-- Rows failing each validation rule, per district file of a night.
CREATE TABLE audit.rule_count (
    export_date date NOT NULL,
    district_code text NOT NULL,
    rule text NOT NULL,
    severity text NOT NULL,
    rows int NOT NULL,
    PRIMARY KEY (export_date, district_code, rule)
);

-- The night's GX validation result per district file, counts only (no values
-- and no row numbers: UU PDP 27/2022), from which Data Docs are built.
CREATE TABLE audit.validation_result (
    export_date date NOT NULL,
    district_code text NOT NULL,
    result jsonb NOT NULL,
    PRIMARY KEY (export_date, district_code)
);

CREATE TABLE audit.pipeline_run (
    run_id text PRIMARY KEY,
    export_date date NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    status text NOT NULL,
    summary jsonb
);

CREATE TABLE mart.ektp_coverage (
    export_date date NOT NULL,
    district_code text NOT NULL,
    kecamatan_code text NOT NULL,
    desa_code text NOT NULL,
    wajib_ktp int NOT NULL,
    recorded int NOT NULL,
    PRIMARY KEY (export_date, desa_code)
);

-- Each person's record of a night: where several records of one night name
-- the same person (a mover still listed by the old district), the one changed
-- last wins, so a lagging old row never moves anyone back.
CREATE VIEW warehouse.person_night AS
SELECT DISTINCT ON (ri.export_date, ri.person_id) ri.person_id, r.*
FROM warehouse.record_identity ri
JOIN warehouse.resident_record r USING (export_date, district_code, source_row)
ORDER BY ri.export_date, ri.person_id, r.tgl_ubah DESC NULLS LAST, r.tgl_entri DESC NULLS LAST,
         r.district_code, r.source_row;
