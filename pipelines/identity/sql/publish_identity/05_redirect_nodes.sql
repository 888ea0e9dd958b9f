UPDATE warehouse.identity_node w SET person_id = s.new_id
FROM staging.person_redirect s WHERE s.night = %(night)s AND w.person_id = s.old_id;
