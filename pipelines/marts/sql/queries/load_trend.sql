-- Rows loaded and quarantined, and districts rejected, of the last N
-- nights up to the night, oldest first.
SELECT export_date, sum(rows_loaded)::int AS rows_loaded, sum(rows_quarantined)::int AS rows_quarantined,
       count(*) FILTER (WHERE status = 'rejected')::int AS rejected
FROM audit.file_load
WHERE export_date IN (SELECT DISTINCT export_date FROM audit.file_load WHERE export_date <= %(night)s
                      ORDER BY export_date DESC LIMIT %(nights)s)
GROUP BY export_date
ORDER BY export_date;
