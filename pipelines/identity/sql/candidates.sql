-- Known nodes that could pair with tonight's new ones: the blocking rules of
-- the model (pipelines/identity/blocking.py), run as indexed joins in PostgreSQL
-- so an ordinary night never ships the province to the matcher. Known means
-- published, or staged by an earlier batch of this night (a big night is
-- matched in batches, see resolve.py), each with the person it has tonight.
-- Plus every node of a person that a reviewer decision not yet acted on
-- touches: such a person is re-clustered whole.
WITH hit AS (
    -- Published nodes: index-only joins (migration 240), one per rule but for
    -- the rules on a birth date: one probe of the date's nodes tests the five
    -- (with the given name, the last word, the mother's name, the desa, the
    -- address; a neighbour's rule is the same on the date first).
    SELECT w.node_id FROM new_key k JOIN warehouse.identity_node w ON w.nik = k.nik
    UNION SELECT w.node_id FROM new_key k JOIN warehouse.identity_node w
        ON w.dob = k.dob AND (w.first_skel = k.first_skel
                              OR split_part(w.name_key, ' ', -1) = split_part(k.name_key, ' ', -1)
                              OR w.mother_skel = k.mother_skel OR w.desa = k.desa OR w.address_key = k.address_key)
    -- Namesakes of the year one typo apart, as blocking.py pairs them (migration
    -- 110), with day and month swapped, or with an estimated date. Testing only that the month or the day
    -- is kept fetched 660 k candidates for 35 k new nodes at 12.9 M, most of
    -- which the matcher then did not pair.
    UNION SELECT w.node_id FROM new_key k JOIN warehouse.identity_node w
        ON w.name_skel = k.name_skel AND w.birth_year = k.birth_year
        AND (warehouse.one_typo_apart(w.dob, k.dob)
             OR (extract(month FROM w.dob), extract(day FROM w.dob)) = (extract(day FROM k.dob), extract(month FROM k.dob))
             OR to_char(w.dob, 'MM-DD') IN ('07-01', '12-31') OR to_char(k.dob, 'MM-DD') IN ('07-01', '12-31'))
    UNION SELECT w.node_id FROM new_key k JOIN warehouse.identity_node w
        ON w.name_skel = k.name_skel AND w.nik_birth = k.nik_birth
    UNION SELECT w.node_id FROM new_key k JOIN warehouse.identity_node w
        ON w.name_skel = k.name_skel AND w.mother_skel = k.mother_skel
        AND (w.dob IS NULL OR k.dob IS NULL OR abs(w.dob - k.dob) <= 366
             OR (extract(month FROM w.dob), extract(day FROM w.dob))
                = (extract(month FROM k.dob), extract(day FROM k.dob)))
    -- Neighbours in one desa by the name's skeleton (migration 200).
    UNION SELECT w.node_id FROM new_key k JOIN warehouse.identity_node w
        ON w.desa = k.desa AND w.name_skel = k.name_skel
    UNION SELECT w.node_id FROM warehouse.identity_node w
        WHERE w.person_id IN (SELECT d.person_id FROM warehouse.identity_review r
                              JOIN warehouse.identity_node d ON d.node_id IN (r.node_l, r.node_r)
                              WHERE r.decision IS NOT NULL AND r.applied_night IS NULL)
), node AS (
    SELECT node_id, person_id, nik, no_kk, name_key, name_skel, first_skel, initials, sex, dob, birth_year,
           place_key, mother_key, mother_skel, father_key, nik_region, nik_birth, nik_sex, nik_serial,
           address_key, desa, false AS staged
    FROM warehouse.identity_node WHERE node_id IN (SELECT node_id FROM hit)
    UNION ALL
    -- Nodes earlier batches staged tonight have no indexes: one scan tests every
    -- rule against hashed keys (a scan per rule took minutes a batch at 12.9 M),
    -- each rule on its equal keys, birth years one apart for name + mother, and
    -- keeps the whole rows it finds (fetching them back by id took another scan
    -- and a hash of the night's nodes). The rules that hold the birth year (or
    -- one apart) are probed only on staged nodes within a year of the batch's:
    -- batches run in birth-year order (resolve.py), so the scan grows with the
    -- night but the probes of most rules do not.
    SELECT node_id, person_id, nik, no_kk, name_key, name_skel, first_skel, initials, sex, dob, birth_year,
           place_key, mother_key, mother_skel, father_key, nik_region, nik_birth, nik_sex, nik_serial,
           address_key, desa, true AS staged
    FROM staging.identity_node w
    WHERE w.export_date = %(night)s
      AND (w.nik IN (SELECT nik FROM new_key)
           OR (w.name_skel, w.nik_birth) IN (SELECT name_skel, nik_birth FROM new_key)
           OR (w.name_skel, w.mother_skel, extract(month FROM w.dob), extract(day FROM w.dob))
              IN (SELECT name_skel, mother_skel, extract(month FROM dob), extract(day FROM dob) FROM new_key)
           OR (w.dob IS NULL AND (w.name_skel, w.mother_skel) IN (SELECT name_skel, mother_skel FROM new_key))
           OR (w.name_skel, w.mother_skel) IN (SELECT name_skel, mother_skel FROM new_key WHERE dob IS NULL)
           OR (w.desa, w.dob) IN (SELECT desa, dob FROM new_key)
           OR (w.desa, w.name_skel) IN (SELECT desa, name_skel FROM new_key)
           OR (w.address_key, w.dob) IN (SELECT address_key, dob FROM new_key)
           OR (w.birth_year BETWEEN (SELECT min(birth_year) - 1 FROM new_key)
                                AND (SELECT max(birth_year) + 1 FROM new_key)
               AND ((w.dob, w.first_skel) IN (SELECT dob, first_skel FROM new_key)
                    OR (w.dob, split_part(w.name_key, ' ', -1)) IN (SELECT dob, split_part(name_key, ' ', -1) FROM new_key)
                    OR (w.dob, w.mother_skel) IN (SELECT dob, mother_skel FROM new_key)
                    OR (w.name_skel, w.birth_year, extract(month FROM w.dob))
                       IN (SELECT name_skel, birth_year, extract(month FROM dob) FROM new_key)
                    OR (w.name_skel, w.birth_year, extract(day FROM w.dob))
                       IN (SELECT name_skel, birth_year, extract(day FROM dob) FROM new_key)
                    OR (w.name_skel, w.birth_year, extract(month FROM w.dob))
                       IN (SELECT name_skel, birth_year, extract(day FROM dob) FROM new_key)
                    OR (to_char(w.dob, 'MM-DD') IN ('07-01', '12-31')
                        AND (w.name_skel, w.birth_year) IN (SELECT name_skel, birth_year FROM new_key))
                    OR (w.name_skel, w.birth_year) IN (SELECT name_skel, birth_year FROM new_key
                                                       WHERE to_char(dob, 'MM-DD') IN ('07-01', '12-31'))
                    OR (w.name_skel, w.mother_skel, w.birth_year)
                       IN (SELECT name_skel, mother_skel, birth_year + d FROM new_key,
                                  (VALUES (-1), (0), (1)) y(d)))))
)
SELECT w.node_id AS unique_id, coalesce(np.person_id, rd.new_id, w.person_id) AS person_id, w.staged,
       -- Looked up node by node: as a join, a first night's batch merged its
       -- 35 k candidates with all 12.9 M of tonight's nodes (90 s a batch). A
       -- node unchanged tonight is not staged: its export is a district that lists it.
       coalesce((SELECT n.export_key FROM night_node n WHERE n.node_id = w.node_id),
                (SELECT min(v.district_code) FROM warehouse.record_version v
                 WHERE v.node_id = w.node_id)) AS export_key,
       w.nik, w.no_kk, w.name_key, w.name_skel, w.first_skel, w.initials, w.sex, w.dob,
       w.birth_year, w.place_key, w.mother_key, w.mother_skel, w.father_key, w.nik_region, w.nik_birth,
       w.nik_sex, w.nik_serial, w.address_key, w.desa
FROM node w
LEFT JOIN staging.node_person np ON np.node_id = w.node_id AND np.export_date = %(night)s
LEFT JOIN staging.person_redirect rd ON rd.old_id = w.person_id AND rd.night = %(night)s
