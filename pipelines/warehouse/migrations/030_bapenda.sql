-- Bapenda vehicle-tax arrears matching (issue 6, docs/bapenda.md). Schema
-- bapenda holds only what the agreement lets the revenue agency see
-- (docs/contract/bapenda-arrears.md); why each row was decided, which names a
-- person, stays in audit, which bapenda_reader cannot read. Grants: 041.
CREATE SCHEMA IF NOT EXISTS bapenda;

-- One run of the matcher over one register file: no personal data.
CREATE TABLE bapenda.match_run (
    run_id          text PRIMARY KEY,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz NOT NULL DEFAULT now(),
    as_of           date NOT NULL,        -- the run date: who is a minor
    identity_night  date,                 -- newest published night matched against
    input_name      text NOT NULL,
    input_sha256    text NOT NULL,
    rows            int NOT NULL,
    matched         int NOT NULL,
    probable        int NOT NULL,
    no_match        int NOT NULL,
    not_a_person    int NOT NULL,
    summary         jsonb NOT NULL        -- the managers' figures (rupiah per kab/kota), as in the summary CSV
);

-- The shared result, exactly the contract's output columns.
CREATE TABLE bapenda.match_result (
    run_id        text NOT NULL REFERENCES bapenda.match_run ON DELETE CASCADE,
    row_no        int NOT NULL,
    no_polisi     text,
    status        text NOT NULL CHECK (status IN ('MATCHED', 'PROBABLE', 'NO_MATCH', 'NOT_A_PERSON')),
    confidence    numeric(4, 3) NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    kode_kab      text, kode_kec text, kode_kel text,
    alamat        text, no_rt text, no_rw text,
    status_hidup  text CHECK (status_hidup IN ('HIDUP', 'MENINGGAL')),
    pindah        text CHECK (pindah IN ('Y', 'N')),
    PRIMARY KEY (run_id, row_no)
);

-- Why each row got its status: the rule, the person decided on (or refused:
-- a minor), the Splink weight of every comparison, and the runner-up. ETL only.
CREATE TABLE audit.bapenda_match_reason (
    run_id            text NOT NULL REFERENCES bapenda.match_run ON DELETE CASCADE,
    row_no            int NOT NULL,
    rule              text NOT NULL,
    person_id         text,
    match_weight      double precision,
    runner_up_weight  double precision,
    candidates        int NOT NULL,
    weights           jsonb,
    PRIMARY KEY (run_id, row_no)
);
