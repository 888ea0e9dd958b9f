-- The district's latest loaded night before this one: its date, its rows'
-- digests (kept with a district's latest night only, migration 070) and its
-- versions in row order ('0' for a quarantined row).
SELECT export_date, row_hashes, array_to_string(version_ids, ' ', '0') FROM warehouse.night_record
WHERE district_code = %(district)s
  AND export_date = (SELECT max(export_date) FROM warehouse.night_record
                     WHERE district_code = %(district)s AND export_date < %(night)s)
