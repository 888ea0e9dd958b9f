-- An uncertain pair whose two persons are now one needs no reviewer.
DELETE FROM staging.identity_review WHERE night = %(night)s AND person_l = person_r;
