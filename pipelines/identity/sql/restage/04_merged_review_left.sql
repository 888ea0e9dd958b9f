UPDATE staging.identity_review s SET person_l = r.new_id
FROM batch_redirect r WHERE s.night = %(night)s AND s.person_l = r.old_id;
