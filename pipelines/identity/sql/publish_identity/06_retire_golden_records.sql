DELETE FROM warehouse.golden_record p USING staging.person_redirect s
WHERE s.night = %(night)s AND p.person_id = s.old_id;
