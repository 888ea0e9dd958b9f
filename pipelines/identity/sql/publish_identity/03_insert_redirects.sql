-- A merge: the newer id points at the oldest one, and so does every earlier
-- redirect to it; its nodes follow; its golden record is retired.
INSERT INTO warehouse.person_redirect (old_id, new_id, night, reason)
SELECT old_id, new_id, night, reason FROM staging.person_redirect WHERE night = %(night)s
ON CONFLICT (old_id) DO NOTHING;
