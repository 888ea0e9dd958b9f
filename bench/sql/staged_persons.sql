-- 'district:row' -> person of each record resolve_night staged, as publishing
-- will make it (through the record's node), inside resolve_night's transaction.
SELECT r.district_code || ':' || r.source_row,
       coalesce(np.person_id, sn.person_id, rd.new_id, wn.person_id)
FROM night_record r
LEFT JOIN staging.node_person np ON np.node_id = r.node_id AND np.export_date = %(night)s
LEFT JOIN staging.identity_node sn ON sn.node_id = r.node_id AND sn.export_date = %(night)s
LEFT JOIN warehouse.identity_node wn ON wn.node_id = r.node_id
LEFT JOIN staging.person_redirect rd ON rd.old_id = wn.person_id AND rd.night = %(night)s
