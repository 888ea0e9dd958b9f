UPDATE warehouse.identity_node w SET person_id = s.person_id
FROM staging.node_person s WHERE s.node_id = w.node_id AND s.export_date = %(night)s;
