-- Per district: rows loaded and recorded e-KTP (at residence) of a night and of
-- the latest earlier night the warehouse has, whatever the gap between them.
WITH previous AS (
    SELECT max(export_date) AS night FROM audit.file_load WHERE export_date < %(night)s
)
SELECT d.code AS district_code, p.night AS previous_night, cur.status,
       cur.rows_loaded AS rows, prev.rows_loaded AS rows_previous,
       cov.recorded, prev_cov.recorded AS recorded_previous
FROM unnest(%(districts)s::text[]) AS d(code)
CROSS JOIN previous p
LEFT JOIN audit.file_load cur ON cur.export_date = %(night)s AND cur.district_code = d.code
LEFT JOIN audit.file_load prev ON prev.export_date = p.night AND prev.district_code = d.code
LEFT JOIN mart.ektp_coverage_district cov ON cov.export_date = %(night)s AND cov.district_code = d.code
LEFT JOIN mart.ektp_coverage_district prev_cov ON prev_cov.export_date = p.night AND prev_cov.district_code = d.code
ORDER BY d.code;
