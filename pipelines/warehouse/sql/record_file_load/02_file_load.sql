INSERT INTO audit.file_load AS f (export_date, district_code, file_name, file_sha256, status, rows_read,
                                  rows_loaded, rows_quarantined, rows_unchanged, warnings, reason)
SELECT export_date, district_code, file_name, file_sha256,
       CASE status WHEN 'staged' THEN 'loaded' ELSE status END,
       rows_read, rows_loaded, rows_quarantined, rows_unchanged, warnings, reason
FROM staging.load WHERE load_id = %(load_id)s
ON CONFLICT (export_date, district_code) DO UPDATE SET
    file_name = EXCLUDED.file_name, file_sha256 = EXCLUDED.file_sha256, status = EXCLUDED.status,
    rows_read = EXCLUDED.rows_read, rows_loaded = EXCLUDED.rows_loaded,
    rows_quarantined = EXCLUDED.rows_quarantined, rows_unchanged = EXCLUDED.rows_unchanged, warnings = EXCLUDED.warnings,
    reason = EXCLUDED.reason, loaded_at = now()
WHERE EXCLUDED.status IN ('loaded', 'unchanged') OR f.status = 'rejected';
