UPDATE warehouse.person_residence SET valid_to = %(night)s
WHERE valid_to IS NULL AND person_id IN (SELECT old_id FROM staging.person_redirect WHERE night = %(night)s);
