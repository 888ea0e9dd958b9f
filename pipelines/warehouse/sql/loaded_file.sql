-- The file the warehouse already holds for the night and district, if any: a
-- re-delivery with the same sha256 is unchanged and keeps these counts.
SELECT file_sha256, rows_read, rows_loaded, rows_quarantined, rows_unchanged, warnings
FROM audit.file_load
WHERE export_date = %(night)s AND district_code = %(district)s AND status IN ('loaded', 'unchanged')
