-- The m each run learnt from its own NIK-anchored rows (pipelines/bapenda/
-- scoring.py, register_m): with the reason rows and the identity model
-- version, a row's weights can be reproduced. Aggregates only, yet kept in
-- audit with the reasons, for ETL alone: bapenda_reader reads nothing new.
CREATE TABLE audit.bapenda_register_m (
    run_id      text NOT NULL REFERENCES bapenda.match_run ON DELETE CASCADE,
    comparison  text NOT NULL,
    gamma       int NOT NULL,
    label       text NOT NULL,
    anchors     int NOT NULL,              -- anchored rows with this field present
    m           double precision NOT NULL,
    u           double precision NOT NULL,
    PRIMARY KEY (run_id, comparison, gamma)
);
GRANT SELECT, INSERT, UPDATE, DELETE ON audit.bapenda_register_m TO etl_writer;
