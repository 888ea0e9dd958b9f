-- After 040, which creates the roles and revokes PUBLIC on schema bapenda.
-- Explicit grants, whichever order 030 and 040 were applied in: bapenda_reader
-- reads the shared results and the run log, nothing else (no default
-- privileges, so a later table in bapenda is not shared by accident).
GRANT SELECT ON bapenda.match_run, bapenda.match_result TO bapenda_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON bapenda.match_run, bapenda.match_result, audit.bapenda_match_reason
    TO etl_writer;
