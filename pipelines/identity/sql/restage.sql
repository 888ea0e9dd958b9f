-- A later batch of a big night (resolve.py) re-decided persons that earlier
-- batches staged. A person merged away (batch_redirect) hands its staged rows
-- to the person it joined, so that staging reads as if the night had been
-- matched at once; staged nodes moved to another person follow.
UPDATE staging.identity_node s SET person_id = r.new_id
FROM batch_redirect r WHERE s.export_date = %(night)s AND s.person_id = r.old_id;
UPDATE staging.node_person s SET person_id = r.new_id
FROM batch_redirect r WHERE s.export_date = %(night)s AND s.person_id = r.old_id;
UPDATE staging.person_redirect s SET new_id = r.new_id
FROM batch_redirect r WHERE s.night = %(night)s AND s.new_id = r.old_id;
UPDATE staging.identity_review s SET person_l = r.new_id
FROM batch_redirect r WHERE s.night = %(night)s AND s.person_l = r.old_id;
UPDATE staging.identity_review s SET person_r = r.new_id
FROM batch_redirect r WHERE s.night = %(night)s AND s.person_r = r.old_id;
-- An uncertain pair whose two persons are now one needs no reviewer.
DELETE FROM staging.identity_review WHERE night = %(night)s AND person_l = person_r;
UPDATE staging.identity_node s SET person_id = m.person_id
FROM unnest(%(nodes)s::text[], %(persons)s::text[]) AS m(node_id, person_id)
WHERE s.export_date = %(night)s AND s.node_id = m.node_id;
