-- Make one night's staged identity decisions real (inside the publish
-- transaction, after the night's records are in warehouse.record_identity).
INSERT INTO warehouse.identity_node (node_id, person_id, nik, no_kk, name_key, name_skel, first_skel, initials,
    sex, dob, birth_year, place_key, mother_key, mother_skel, father_key, nik_region, nik_birth, nik_sex, nik_serial,
    first_night, address_key, desa)
SELECT node_id, person_id, nik, no_kk, name_key, name_skel, first_skel, initials, sex, dob, birth_year,
       place_key, mother_key, mother_skel, father_key, nik_region, nik_birth, nik_sex, nik_serial, first_night,
       address_key, desa
FROM staging.identity_node WHERE export_date = %(night)s
-- No target: on a first night the key is built after the fill (nightly.publish)
-- and this is a plain insert; on any other, the key is the only arbiter.
ON CONFLICT DO NOTHING;

UPDATE warehouse.identity_node w SET person_id = s.person_id
FROM staging.node_person s WHERE s.node_id = w.node_id AND s.export_date = %(night)s;

-- A merge: the newer id points at the oldest one, and so does every earlier
-- redirect to it; its nodes follow; its golden record is retired.
INSERT INTO warehouse.person_redirect (old_id, new_id, night, reason)
SELECT old_id, new_id, night, reason FROM staging.person_redirect WHERE night = %(night)s
ON CONFLICT (old_id) DO NOTHING;
UPDATE warehouse.person_redirect w SET new_id = s.new_id
FROM staging.person_redirect s WHERE s.night = %(night)s AND w.new_id = s.old_id;
UPDATE warehouse.identity_node w SET person_id = s.new_id
FROM staging.person_redirect s WHERE s.night = %(night)s AND w.person_id = s.old_id;
DELETE FROM warehouse.golden_record p USING staging.person_redirect s
WHERE s.night = %(night)s AND p.person_id = s.old_id;
UPDATE warehouse.person_residence SET valid_to = %(night)s
WHERE valid_to IS NULL AND person_id IN (SELECT old_id FROM staging.person_redirect WHERE night = %(night)s);

INSERT INTO warehouse.identity_link (node_l, node_r, match_weight, rule, night)
SELECT node_l, node_r, match_weight, rule, night FROM staging.identity_link WHERE night = %(night)s
ON CONFLICT DO NOTHING;

-- A pair already queued keeps its place (and any decision on it).
INSERT INTO warehouse.identity_review (node_l, node_r, person_l, person_r, match_weight, weights, night)
SELECT node_l, node_r, person_l, person_r, match_weight, weights, night
FROM staging.identity_review WHERE night = %(night)s
ON CONFLICT DO NOTHING;
UPDATE warehouse.identity_review SET applied_night = %(night)s
WHERE decision IS NOT NULL AND applied_night IS NULL;

INSERT INTO warehouse.nik_collision (nik, first_night)
SELECT DISTINCT nik, first_night FROM staging.nik_collision WHERE first_night = %(night)s
ON CONFLICT DO NOTHING;
