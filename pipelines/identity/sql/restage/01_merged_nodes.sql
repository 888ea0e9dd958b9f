-- A later batch of a big night (resolve.py) re-decided persons that earlier
-- batches staged. A person merged away (batch_redirect) hands its staged rows
-- to the person it joined, so that staging reads as if the night had been
-- matched at once; staged nodes moved to another person follow.
UPDATE staging.identity_node s SET person_id = r.new_id
FROM batch_redirect r WHERE s.export_date = %(night)s AND s.person_id = r.old_id;
