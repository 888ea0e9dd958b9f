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
