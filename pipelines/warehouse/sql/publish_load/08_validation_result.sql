INSERT INTO audit.validation_result (export_date, district_code, result)
SELECT %(night)s, %(district)s, validation_result
FROM staging.load WHERE load_id = %(load_id)s AND validation_result IS NOT NULL;
