-- Publish one district's staged load (inside the night's publish transaction,
-- so readers see the old night or the new one, never half). Its new versions
-- were stored while staging (see pipelines/warehouse/history.py); the night itself is
-- one list of versions, replaced whole by a re-delivery.
INSERT INTO warehouse.night_record (export_date, district_code, version_ids, row_hashes)
SELECT %(night)s, %(district)s, version_ids, row_hashes FROM staging.load WHERE load_id = %(load_id)s
ON CONFLICT (export_date, district_code) DO UPDATE SET version_ids = EXCLUDED.version_ids,
                                                       row_hashes = EXCLUDED.row_hashes;
