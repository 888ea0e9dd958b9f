UPDATE staging.person_redirect s SET new_id = r.new_id
FROM batch_redirect r WHERE s.night = %(night)s AND s.new_id = r.old_id;
