-- Digests (hex) and versions of a night's stored rows, by occurrence: for a
-- night whose digests were not kept with it.
SELECT encode(uuid_send(v.row_hash), 'hex'), v.version_id
FROM warehouse.night_record n CROSS JOIN LATERAL unnest(n.version_ids) AS r(version_id)
JOIN warehouse.record_version v ON v.version_id = r.version_id
WHERE n.district_code = %(district)s AND n.export_date = %(night)s
ORDER BY v.row_hash, v.occurrence
