-- Each staged row of a load with the version it is stored as.
SELECT s.source_row, v.version_id FROM staging.resident s
JOIN warehouse.record_version v
  ON v.district_code = %(district)s AND v.row_hash = s.row_hash AND v.occurrence = s.occurrence
WHERE s.load_id = %(load_id)s
