UPDATE staging.identity_review s SET person_r = r.new_id
FROM batch_redirect r WHERE s.night = %(night)s AND s.person_r = r.old_id;
