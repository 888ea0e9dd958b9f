-- The one-digit NIK rule (pipelines/bapenda/decide.py) decides by how many
-- persons hold a NIK one digit from the registered one; kept with the reason
-- so that a row's decision can be reproduced from the audit trail.
ALTER TABLE audit.bapenda_match_reason ADD COLUMN nik_neighbours int;
