-- Identity nodes that could be the owner of each register row (bapenda_key,
-- one row per PRIBADI row): blocking rules as joins, so a run never ships the
-- province to the matcher. Most use the identity step's indexes
-- (002_identity.sql); the others hash-join one pass over the nodes. A name
-- alone (no birth date) only blocks within the registration kab/kota (where
-- they live or got their NIK), or with the RT/RW of the registered address:
-- a common name has hundreds of holders.
-- Each pair carries how the registration area relates to the person (where
-- they live, lived (person_residence) or got their NIK, whose region never
-- changes): in the named kecamatan (in_kec), in the kecamatan of the
-- registered NIK's region (in_nik_kec), in the kab/kota (in_kab); the levels
-- are made of them in scoring.area_level.
WITH hit AS (
    SELECT k.row_no, w.node_id FROM bapenda_key k JOIN warehouse.identity_node w ON w.nik = k.nik
    UNION SELECT k.row_no, w.node_id FROM bapenda_key k JOIN warehouse.identity_node w
        ON w.dob = k.dob AND w.first_skel = k.first_skel
    UNION SELECT k.row_no, w.node_id FROM bapenda_key k JOIN warehouse.identity_node w
        ON w.name_skel = k.name_skel AND w.birth_year = k.birth_year
    -- a birth date whose year was mistyped: the name and the day and month
    UNION SELECT k.row_no, w.node_id FROM bapenda_key k JOIN warehouse.identity_node w
        ON w.name_skel = k.name_skel AND to_char(w.dob, 'MM-DD') = to_char(k.dob, 'MM-DD')
    UNION SELECT k.row_no, w.node_id FROM bapenda_key k JOIN warehouse.identity_node w
        ON w.name_skel = k.name_skel
        JOIN warehouse.person p ON p.person_id = w.person_id
        WHERE k.dob IS NULL AND (k.reg_kabs IS NULL OR p.district_code = ANY(k.reg_kabs)
                                 OR left(w.nik_region, 4) = ANY(k.reg_kabs)
                                 -- or registered elsewhere from the address they still live at
                                 OR k.rt_rw = ltrim(p.no_rt, '0') || '/' || ltrim(p.no_rw, '0'))
    -- a mistyped NIK whose region and birth survived, under a name spelled otherwise
    UNION SELECT k.row_no, w.node_id FROM bapenda_key k JOIN warehouse.identity_node w
        ON w.nik_region = k.nik_region AND w.nik_birth = k.nik_birth
    UNION SELECT k.row_no, w.node_id FROM bapenda_key k JOIN warehouse.identity_node w
        ON w.nik_birth = k.nik_birth AND w.first_skel = k.first_skel
    -- a NIK with one digit mistyped anywhere, whatever the name and wherever the
    -- vehicle was registered: its 144 one-digit variants, each looked up in the NIK index
    UNION SELECT k.row_no, w.node_id FROM bapenda_key k
        CROSS JOIN generate_series(1, 16) AS pos CROSS JOIN generate_series(0, 9) AS digit
        JOIN warehouse.identity_node w ON w.nik = overlay(k.nik PLACING digit::text FROM pos FOR 1)
        WHERE substr(k.nik, pos, 1) <> digit::text
    -- a given name written as its initial ("I. NURHAYATI"), with a birth date
    UNION SELECT k.row_no, w.node_id FROM bapenda_key k JOIN warehouse.identity_node w
        ON w.dob = k.dob AND w.initials = k.initials
    -- an abbreviated middle name ("SITI N. HALIMAH"), no NIK, no birth date: only in the registration area
    UNION SELECT k.row_no, w.node_id FROM bapenda_key k JOIN warehouse.identity_node w
        ON w.first_skel = k.first_skel AND w.initials = k.initials
        JOIN warehouse.person p ON p.person_id = w.person_id AND p.district_code = ANY(k.reg_kabs)
        WHERE k.nik_birth IS NULL AND k.dob IS NULL AND length(k.initials) >= 3
    -- a letter dropped, the given name as its initial, no NIK, no birth date: the
    -- initials at the RT/RW of the registered address, in the registration area
    UNION SELECT k.row_no, w.node_id FROM bapenda_key k JOIN warehouse.identity_node w ON w.initials = k.initials
        JOIN warehouse.person p ON p.person_id = w.person_id AND p.district_code = ANY(k.reg_kabs)
                                AND k.rt_rw = ltrim(p.no_rt, '0') || '/' || ltrim(p.no_rw, '0')
        WHERE k.nik_birth IS NULL AND k.dob IS NULL
)
SELECT h.row_no, w.node_id, w.person_id, w.nik, w.name_key, w.name_skel, w.first_skel, w.initials, w.sex,
       w.dob, w.birth_year, w.nik_region, w.nik_birth, w.nik_sex, w.nik_serial, p.alamat, p.no_rt, p.no_rw,
       k.reg_kabs IS NULL AS area_blank,
       coalesce(p.kecamatan_code = ANY(k.reg_kecs) OR w.nik_region = ANY(k.reg_kecs) OR r.kecs && k.reg_kecs,
                false) AS in_kec,
       coalesce(p.kecamatan_code = k.nik_kec OR w.nik_region = k.nik_kec OR k.nik_kec = ANY(r.kecs),
                false) AS in_nik_kec,
       coalesce(p.district_code = ANY(k.reg_kabs) OR left(w.nik_region, 4) = ANY(k.reg_kabs) OR r.kabs && k.reg_kabs,
                false) AS in_kab
FROM hit h
JOIN bapenda_key k USING (row_no)
JOIN warehouse.identity_node w USING (node_id)
JOIN warehouse.person p ON p.person_id = w.person_id
-- where they lived before, one lookup per pair
LEFT JOIN LATERAL (SELECT array_agg(kecamatan_code) AS kecs, array_agg(district_code) AS kabs
                   FROM warehouse.person_residence WHERE person_id = w.person_id) r ON true
