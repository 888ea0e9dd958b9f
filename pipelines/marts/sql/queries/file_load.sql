-- The outcome of each district file of the night (districts without one are absent).
SELECT district_code, file_name, status, rows_read, rows_loaded, rows_quarantined, warnings, reason
FROM audit.file_load
WHERE export_date = %(night)s;
