-- One district file of the night in staging.load; its counts are final for a
-- rejected or unchanged file, and filled in by finish_load for a staged one.
INSERT INTO staging.load (export_date, district_code, file_name, file_sha256, status, rows_read, rows_loaded,
                          rows_quarantined, rows_unchanged, warnings, reason, rule_counts)
VALUES (%(night)s, %(district_code)s, %(file_name)s, %(file_sha256)s, %(status)s, %(rows_read)s, %(rows_loaded)s,
        %(rows_quarantined)s, %(rows_unchanged)s, %(warnings)s, %(reason)s, %(rule_counts)s)
RETURNING load_id
