-- Persons whose golden record tonight's publish may change, read before the
-- night's identity decisions are applied: those with a record new, changed or
-- gone since the previous night, and those identity moves nodes between or
-- merges. Everyone else keeps their golden record untouched, which is what
-- makes an ordinary night cheap. (A first night touches everyone: skipped.)
CREATE TEMP TABLE touched_person ON COMMIT DROP AS
SELECT w.person_id FROM staging.node_person s JOIN warehouse.identity_node w USING (node_id)
WHERE s.export_date = %(night)s AND %(touched)s
UNION SELECT person_id FROM staging.node_person WHERE export_date = %(night)s AND %(touched)s
UNION SELECT new_id FROM staging.person_redirect WHERE night = %(night)s AND %(touched)s
UNION SELECT coalesce(sn.person_id, w.person_id)
FROM staging.load l CROSS JOIN LATERAL unnest(l.changed_version_ids) AS c(version_id)
JOIN warehouse.record_version v ON v.version_id = c.version_id
LEFT JOIN staging.identity_node sn ON sn.node_id = v.node_id AND sn.export_date = %(night)s
LEFT JOIN warehouse.identity_node w ON w.node_id = v.node_id
WHERE l.export_date = %(night)s AND l.status = 'staged' AND %(touched)s;
