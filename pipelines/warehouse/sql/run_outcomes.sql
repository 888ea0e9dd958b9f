-- Each district outcome one run recorded: staged while the night runs (a load
-- is visible only once complete), in the append-only attempts once published
-- (publishing empties staging). Counts and reasons only.
SELECT district_code, status, file_name, rows_read, rows_loaded, rows_quarantined, reason
FROM staging.load
WHERE export_date = %(night)s AND load_id > %(load_after)s
UNION ALL
SELECT district_code, status, file_name, rows_read, rows_loaded, rows_quarantined, reason
FROM audit.load_attempt
WHERE export_date = %(night)s AND attempt_id > %(attempt_after)s
ORDER BY district_code;
