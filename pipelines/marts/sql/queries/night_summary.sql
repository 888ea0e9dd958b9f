-- Per district of the province: what became of its file tonight and the persons
-- it holds. Counts and reasons only.
SELECT d.code AS district_code, f.status, f.rows_read, f.rows_loaded, f.rows_quarantined, f.reason, p.persons
FROM unnest(%(districts)s::text[]) AS d(code)
LEFT JOIN audit.file_load f ON f.export_date = %(night)s AND f.district_code = d.code
LEFT JOIN mart.district_persons p ON p.export_date = %(night)s AND p.district_code = d.code
ORDER BY d.code
