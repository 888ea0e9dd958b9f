-- The attempt always goes to the append-only log; audit.file_load describes
-- what the warehouse holds, so a rejected re-delivery does not overwrite a
-- night that is already loaded. 'unchanged' (same sha256 again) keeps the counts.
INSERT INTO audit.load_attempt (export_date, district_code, file_name, file_sha256, status,
                                rows_read, rows_loaded, rows_quarantined, reason)
SELECT export_date, district_code, file_name, file_sha256, status, rows_read, rows_loaded, rows_quarantined, reason
FROM staging.load WHERE load_id = %(load_id)s;
