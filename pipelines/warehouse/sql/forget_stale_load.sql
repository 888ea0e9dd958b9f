-- A load of the night and district staged by a run that died before publishing
-- is stale: staging starts the district again.
DELETE FROM staging.load WHERE export_date = %(night)s AND district_code = %(district)s
