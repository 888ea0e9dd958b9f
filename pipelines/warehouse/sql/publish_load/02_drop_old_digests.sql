-- Row digests are kept for the district's latest night only (migration 070).
UPDATE warehouse.night_record SET row_hashes = NULL
WHERE district_code = %(district)s AND row_hashes IS NOT NULL
  AND export_date < (SELECT max(export_date) FROM warehouse.night_record WHERE district_code = %(district)s);
