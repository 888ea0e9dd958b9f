UPDATE staging.node_person s SET person_id = r.new_id
FROM batch_redirect r WHERE s.export_date = %(night)s AND s.person_id = r.old_id;
