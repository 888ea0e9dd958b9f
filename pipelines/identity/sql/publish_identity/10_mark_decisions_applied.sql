UPDATE warehouse.identity_review SET applied_night = %(night)s
WHERE decision IS NOT NULL AND applied_night IS NULL;
