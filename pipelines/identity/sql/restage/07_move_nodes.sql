UPDATE staging.identity_node s SET person_id = m.person_id
FROM unnest(%(nodes)s::text[], %(persons)s::text[]) AS m(node_id, person_id)
WHERE s.export_date = %(night)s AND s.node_id = m.node_id;
