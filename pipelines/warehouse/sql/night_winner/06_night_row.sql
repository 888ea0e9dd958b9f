CREATE TEMP TABLE night_row ON COMMIT DROP AS
SELECT n.district_code, r.source_row::int AS source_row, r.version_id
FROM warehouse.night_record n CROSS JOIN LATERAL unnest(n.version_ids) WITH ORDINALITY AS r(version_id, source_row)
WHERE n.export_date = %(night)s AND r.version_id IS NOT NULL
  AND (NOT %(touched)s OR r.version_id IN (SELECT version_id FROM touched_version));
