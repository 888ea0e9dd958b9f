UPDATE warehouse.person_redirect w SET new_id = s.new_id
FROM staging.person_redirect s WHERE s.night = %(night)s AND w.new_id = s.old_id;
