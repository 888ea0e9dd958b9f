-- Publish one district's staged load (inside the night's publish transaction,
-- so readers see the old night or the new one, never half). Its new versions
-- were stored while staging (see pipelines/warehouse/history.py); the night itself is
-- one list of versions, replaced whole by a re-delivery.
INSERT INTO warehouse.night_record (export_date, district_code, version_ids, row_hashes)
SELECT %(night)s, %(district)s, version_ids, row_hashes FROM staging.load WHERE load_id = %(load_id)s
ON CONFLICT (export_date, district_code) DO UPDATE SET version_ids = EXCLUDED.version_ids,
                                                       row_hashes = EXCLUDED.row_hashes;
-- Row digests are kept for the district's latest night only (migration 070).
UPDATE warehouse.night_record SET row_hashes = NULL
WHERE district_code = %(district)s AND row_hashes IS NOT NULL
  AND export_date < (SELECT max(export_date) FROM warehouse.night_record WHERE district_code = %(district)s);

DELETE FROM quarantine.record WHERE export_date = %(night)s AND district_code = %(district)s;
DELETE FROM audit.rule_count WHERE export_date = %(night)s AND district_code = %(district)s;
DELETE FROM audit.validation_result WHERE export_date = %(night)s AND district_code = %(district)s;

INSERT INTO quarantine.record (export_date, district_code, source_row, file_sha256, reasons, raw_row)
SELECT %(night)s, %(district)s, q.source_row, l.file_sha256, q.reasons, q.raw_row
FROM staging.quarantine q JOIN staging.load l USING (load_id)
WHERE q.load_id = %(load_id)s;

INSERT INTO audit.rule_count (export_date, district_code, rule, severity, rows)
SELECT %(night)s, %(district)s, r->>'rule', r->>'severity', (r->>'rows')::int
FROM staging.load, jsonb_array_elements(rule_counts) r
WHERE load_id = %(load_id)s;

INSERT INTO audit.validation_result (export_date, district_code, result)
SELECT %(night)s, %(district)s, validation_result
FROM staging.load WHERE load_id = %(load_id)s AND validation_result IS NOT NULL;
