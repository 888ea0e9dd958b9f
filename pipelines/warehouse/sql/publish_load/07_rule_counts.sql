INSERT INTO audit.rule_count (export_date, district_code, rule, severity, rows)
SELECT %(night)s, %(district)s, r->>'rule', r->>'severity', (r->>'rows')::int
FROM staging.load, jsonb_array_elements(rule_counts) r
WHERE load_id = %(load_id)s;
