INSERT INTO quarantine.record (export_date, district_code, source_row, file_sha256, reasons, raw_row)
SELECT %(night)s, %(district)s, q.source_row, l.file_sha256, q.reasons, q.raw_row
FROM staging.quarantine q JOIN staging.load l USING (load_id)
WHERE q.load_id = %(load_id)s;
