-- The night's loads in staging, each published (staged) or only recorded.
SELECT load_id, district_code, status FROM staging.load WHERE export_date = %(night)s
ORDER BY district_code, load_id
