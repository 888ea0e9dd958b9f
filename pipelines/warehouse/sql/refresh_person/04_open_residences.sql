INSERT INTO warehouse.person_residence (person_id, district_code, kecamatan_code, desa_code, valid_from)
SELECT n.person_id, n.district_code, n.kecamatan_code, n.desa_code, %(night)s
FROM night_winner n
WHERE NOT EXISTS (SELECT 1 FROM warehouse.person_residence h
                  WHERE h.person_id = n.person_id AND (h.valid_to IS NULL OR h.valid_from >= %(night)s)
                    AND (NOT %(touched)s OR h.person_id = ANY (ARRAY(SELECT person_id FROM night_winner))));
